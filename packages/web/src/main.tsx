import './styles.css'
import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { config as configureZod } from 'zod'
import { App } from './app/App.tsx'
import { api, queryClient } from './app/api.ts'
import { useOrgStore } from './app/session.ts'
import { initTheme } from './app/theme.ts'

// zod (used by @patchbay/core's schemas) would probe `new Function` for speed, which the
// server's Content-Security-Policy rightly forbids: parse without compiling instead.
configureZod({ jitless: true })

// Before the first render: the theme class (no flash) and the remembered organisation.
initTheme()
api.setOrg(useOrgStore.getState().orgId)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
