import { defineConfig } from 'vitest/config'

export default defineConfig({ test: { include: ['src/routes/tenancy.test.ts', 'src/routes/fuzz.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } })
