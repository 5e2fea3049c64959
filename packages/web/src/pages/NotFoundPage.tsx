import { Link } from 'react-router'
import { EmptyState } from '../ui/EmptyState.tsx'

/** Any path the app does not know. */
export function NotFoundPage() {
  return (
    <EmptyState
      title="Page not found"
      description="The address does not match any page of Patchbay."
      action={
        <Link to="/" className="inline-flex h-8 items-center rounded-md bg-accent px-3 font-medium text-accent-fg">
          Go to workflows
        </Link>
      }
    />
  )
}
