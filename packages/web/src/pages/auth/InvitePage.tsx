import { useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { api, queryClient } from '../../app/api.ts'
import { errorMessage } from '../../app/errors.ts'
import { meQueryKey, switchOrg, useMe } from '../../app/session.ts'
import { Button } from '../../ui/Button.tsx'
import { PageSpinner } from '../../ui/Spinner.tsx'
import { Tabs } from '../../ui/Tabs.tsx'
import { toast } from '../../ui/toast.tsx'
import { AuthForm } from './AuthForm.tsx'
import { AuthLayout } from './AuthLayout.tsx'

/**
 * `/invite?token=…`: accepts an invitation. A signed-in person joins with one click; anyone else
 * signs up (with the token, which invitation-only servers require) or signs in first.
 */
export function InvitePage() {
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const me = useMe()
  const navigate = useNavigate()
  const [mode, setMode] = useState<'sign-up' | 'sign-in'>('sign-up')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  async function accept() {
    setBusy(true)
    setError(undefined)
    try {
      const member = await api.invitations.accept(token)
      await queryClient.invalidateQueries({ queryKey: meQueryKey })
      switchOrg(member.orgId)
      toast.success('You joined the organisation')
      navigate('/', { replace: true })
    } catch (caught) {
      setError(errorMessage(caught))
    } finally {
      setBusy(false)
    }
  }

  if (!token) {
    return (
      <AuthLayout
        title="Invitation link incomplete"
        subtitle="The link has no token. Copy the whole link you were sent."
      >
        <Link to="/" className="font-medium text-accent hover:underline">
          Go to Patchbay
        </Link>
      </AuthLayout>
    )
  }
  if (me.isPending) return <PageSpinner />

  const user = me.data?.via === 'session' ? me.data.user : null
  if (user) {
    return (
      <AuthLayout title="Join the organisation" subtitle={`You are signed in as ${user.email}.`}>
        {error && (
          <p role="alert" className="mb-4 rounded-md bg-danger-soft px-3 py-2 text-[12px] text-danger">
            {error}
          </p>
        )}
        <Button variant="primary" className="w-full" loading={busy} onClick={accept}>
          Accept invitation
        </Button>
        <p className="mt-4 text-center text-[12px] text-muted">
          The invitation is for another email?{' '}
          <button
            type="button"
            className="font-medium text-accent hover:underline"
            onClick={async () => {
              await api.auth.signOut().catch(() => undefined)
              await queryClient.invalidateQueries({ queryKey: meQueryKey })
            }}
          >
            Sign out
          </button>
        </p>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout title="You are invited to Patchbay" subtitle="Create an account, or sign in, to accept the invitation.">
      <Tabs
        items={[
          { value: 'sign-up', label: 'Create account' },
          { value: 'sign-in', label: 'Sign in' },
        ]}
        value={mode}
        onChange={setMode}
        className="mb-5"
      />
      {error && (
        <p role="alert" className="mb-4 rounded-md bg-danger-soft px-3 py-2 text-[12px] text-danger">
          {error}
        </p>
      )}
      <AuthForm key={mode} mode={mode} invitationToken={token} onDone={accept} />
    </AuthLayout>
  )
}
