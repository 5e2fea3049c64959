import { Link, Navigate, useNavigate, useSearchParams } from 'react-router'
import { queryClient } from '../../app/api.ts'
import { meQueryKey, useMe } from '../../app/session.ts'
import { PageSpinner } from '../../ui/Spinner.tsx'
import { AuthForm } from './AuthForm.tsx'
import { AuthLayout } from './AuthLayout.tsx'

/** Where to go after signing in: `?next=` if it is a path of this app. */
function useNext(): string {
  const [params] = useSearchParams()
  const next = params.get('next') ?? '/'
  return next.startsWith('/') && !next.startsWith('//') ? next : '/'
}

async function signedIn() {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] })
  await queryClient.invalidateQueries({ queryKey: meQueryKey })
}

/** `/sign-in`. A signed-in visitor goes straight on; in local mode, signing in is optional. */
export function SignInPage() {
  const me = useMe()
  const navigate = useNavigate()
  const next = useNext()
  if (me.isPending) return <PageSpinner />
  if (me.data?.via === 'session') return <Navigate to={next} replace />
  return (
    <AuthLayout title="Sign in" subtitle="Welcome back.">
      <AuthForm
        mode="sign-in"
        onDone={async () => {
          await signedIn()
          navigate(next, { replace: true })
        }}
      />
      <p className="mt-5 text-center text-muted">
        No account?{' '}
        <Link to="/sign-up" className="font-medium text-accent hover:underline">
          Create one
        </Link>
      </p>
      {me.data?.via === 'local' && <LocalModeNote />}
    </AuthLayout>
  )
}

/** `/sign-up`. */
export function SignUpPage() {
  const me = useMe()
  const navigate = useNavigate()
  if (me.isPending) return <PageSpinner />
  if (me.data?.via === 'session') return <Navigate to="/" replace />
  return (
    <AuthLayout title="Create your account" subtitle="Build and run generative-AI workflows.">
      <AuthForm
        mode="sign-up"
        onDone={async () => {
          await signedIn()
          navigate('/', { replace: true })
        }}
      />
      <p className="mt-5 text-center text-muted">
        Already have an account?{' '}
        <Link to="/sign-in" className="font-medium text-accent hover:underline">
          Sign in
        </Link>
      </p>
      {me.data?.via === 'local' && <LocalModeNote />}
    </AuthLayout>
  )
}

function LocalModeNote() {
  return (
    <div className="mt-5 rounded-md border border-border bg-subtle px-3 py-2.5 text-[12px] text-muted">
      This server runs in local mode: you can use it without an account.{' '}
      <Link to="/" className="font-medium text-accent hover:underline">
        Continue without signing in
      </Link>
    </div>
  )
}
