import type { ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { PageSpinner } from '../ui/Spinner.tsx'
import { errorMessage, isApiError } from './errors.ts'
import { ensureOrg, useMe } from './session.ts'

/**
 * Renders its children once `GET /me` answers (local mode or signed in) and the organisation
 * is chosen; sends anyone signed out to /sign-in, remembering where they were going.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe()
  const location = useLocation()

  if (me.isPending) return <PageSpinner />
  if (me.isError) {
    if (isApiError(me.error, 401)) {
      const next = location.pathname + location.search
      return <Navigate to={`/sign-in${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`} replace />
    }
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center">
        <p className="font-semibold text-[15px]">Patchbay is not answering</p>
        <p className="max-w-md text-muted">{errorMessage(me.error)}</p>
        <button
          type="button"
          onClick={() => me.refetch()}
          className="h-8 rounded-md border border-border bg-panel px-3 font-medium hover:bg-hover"
        >
          Try again
        </button>
      </div>
    )
  }
  ensureOrg(me.data)
  return children
}
