import { createRouter } from '../api/router.ts'
import { accountRoutes } from './accounts.ts'
import { apiKeyRoutes } from './api-keys.ts'
import { assetUploadRoutes } from './asset-uploads.ts'
import { assetRoutes } from './assets.ts'
import { catalogRoutes } from './catalog.ts'
import { credentialRoutes } from './credentials.ts'
import { eventRoutes } from './events.ts'
import { runRoutes } from './runs.ts'
import { usageRoutes } from './usage.ts'
import { versionRoutes } from './versions.ts'
import { workflowRoutes } from './workflows.ts'

/** Every route under /api/v1. */
export function apiRoutes() {
  const app = createRouter()
  for (const routes of [
    accountRoutes(),
    workflowRoutes(),
    versionRoutes(),
    runRoutes(),
    eventRoutes(),
    assetRoutes(),
    assetUploadRoutes(),
    catalogRoutes(),
    credentialRoutes(),
    apiKeyRoutes(),
    usageRoutes(),
  ]) {
    app.route('/', routes)
  }
  return app
}
