import { Link } from 'react-router'
import { EmptyState } from '../ui/EmptyState.tsx'
import { PageHeader } from '../ui/PageHeader.tsx'

/** Any path the app does not know. */
export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        title="Nothing lives at this address"
        description="The link may be old, or the page was moved. Everything Patchbay has is in the sidebar."
        action={
          <Link
            to="/"
            className="inline-flex h-8 items-center rounded-md bg-accent-solid px-3 font-medium text-accent-fg hover:bg-accent-solid-hover"
          >
            Go to workflows
          </Link>
        }
      />
    </>
  )
}
