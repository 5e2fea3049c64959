import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// `npm start` builds this into dist/ when the sources changed; the server serves it at `/`.
// `npm run dev -w @patchbay/web` serves it with hot reload, proxying the API to PATCHBAY_API.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/api': { target: process.env.PATCHBAY_API ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
})
