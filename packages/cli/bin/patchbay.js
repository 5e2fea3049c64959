#!/usr/bin/env node
// Patchbay ships TypeScript sources; tsx compiles them on load so no build step is needed.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
