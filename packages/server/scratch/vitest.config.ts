import { defineConfig } from 'vitest/config'

export default defineConfig({ test: { include: ['src/routes/assets.test.ts', 'src/assets/*.test.ts'], testTimeout: 60_000 } })
