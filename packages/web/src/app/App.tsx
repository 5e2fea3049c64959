import { lazy, Suspense } from 'react'
import { BrowserRouter, Navigate, Route, Routes, useParams } from 'react-router'
import { AssetsPage } from '../pages/AssetsPage.tsx'
import { InvitePage } from '../pages/auth/InvitePage.tsx'
import { SignInPage, SignUpPage } from '../pages/auth/SignInPage.tsx'
import { NotFoundPage } from '../pages/NotFoundPage.tsx'
import { RunDetailPage } from '../pages/RunDetailPage.tsx'
import { RunsPage } from '../pages/RunsPage.tsx'
import { ApiKeysSettings } from '../pages/settings/ApiKeysSettings.tsx'
import { CredentialsSettings } from '../pages/settings/CredentialsSettings.tsx'
import { MembersSettings } from '../pages/settings/MembersSettings.tsx'
import { SettingsPage } from '../pages/settings/SettingsPage.tsx'
import { UsageSettings } from '../pages/settings/UsageSettings.tsx'
import { WorkflowsPage } from '../pages/WorkflowsPage.tsx'
import { PageSpinner } from '../ui/Spinner.tsx'
import { Toaster } from '../ui/toast.tsx'
import { ErrorBoundary } from './ErrorBoundary.tsx'
import { Layout } from './Layout.tsx'
import { RequireSession } from './RequireSession.tsx'

// The editor (React Flow and friends) loads only when a workflow is opened.
const EditorPage = lazy(() => import('../editor/EditorPage.tsx').then((m) => ({ default: m.EditorPage })))

function EditorRoute() {
  const { id = '' } = useParams()
  return (
    <ErrorBoundary resetKey={id}>
      <Suspense fallback={<PageSpinner />}>
        <EditorPage key={id} workflowId={id} />
      </Suspense>
    </ErrorBoundary>
  )
}

/**
 * The routes. Everything but the sign-in pages needs a session (or local mode); the editor
 * takes the whole window, the other pages sit in the sidebar layout.
 */
export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/sign-up" element={<SignUpPage />} />
        <Route path="/invite" element={<InvitePage />} />
        <Route
          path="/workflows/:id"
          element={
            <RequireSession>
              <EditorRoute />
            </RequireSession>
          }
        />
        <Route
          element={
            <RequireSession>
              <Layout />
            </RequireSession>
          }
        >
          <Route index element={<WorkflowsPage />} />
          <Route path="runs" element={<RunsPage />} />
          <Route path="runs/:id" element={<RunDetailPage />} />
          <Route path="assets" element={<AssetsPage />} />
          <Route path="settings" element={<SettingsPage />}>
            <Route index element={<Navigate to="credentials" replace />} />
            <Route path="credentials" element={<CredentialsSettings />} />
            <Route path="api-keys" element={<ApiKeysSettings />} />
            <Route path="members" element={<MembersSettings />} />
            <Route path="usage" element={<UsageSettings />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
      <Toaster />
    </BrowserRouter>
  )
}
