#!/bin/sh
# Copies the server sources into scratch/ with the asset routes mounted (routes/index.ts is the lead's file).
set -e
cd "$(dirname "$0")"
rm -rf src && cp -r ../src src
sed -i -e "s#^// import { assetRoutes }#import { assetRoutes }#" -e "s#^    // assetRoutes(),#    assetRoutes(),#" src/routes/index.ts
grep -q "^import { assetRoutes }" src/routes/index.ts
