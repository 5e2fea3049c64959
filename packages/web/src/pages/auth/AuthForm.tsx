import { useState } from 'react'
import { api, signUpInvited } from '../../app/api.ts'
import { errorMessage } from '../../app/errors.ts'
import { Button } from '../../ui/Button.tsx'
import { Field, Input } from '../../ui/Input.tsx'

export interface AuthFormProps {
  mode: 'sign-in' | 'sign-up'
  /** Signs up through this invitation (needed when the server only admits invited people). */
  invitationToken?: string
  /** Prefills the email (an invitation's). */
  email?: string
  onDone: () => void | Promise<void>
}

/** Email and password (and a name, to sign up); shows the server's message when refused. */
export function AuthForm({ mode, invitationToken, email: presetEmail = '', onDone }: AuthFormProps) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState(presetEmail)
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  async function submit(event: React.FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      if (mode === 'sign-in') await api.auth.signIn({ email: email.trim(), password })
      else if (invitationToken)
        await signUpInvited({ name: name.trim(), email: email.trim(), password }, invitationToken)
      else await api.auth.signUp({ name: name.trim(), email: email.trim(), password })
      await onDone()
    } catch (caught) {
      setError(errorMessage(caught))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      {mode === 'sign-up' && (
        <Field label="Name">
          {(id) => (
            <Input id={id} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="name" />
          )}
        </Field>
      )}
      <Field label="Email">
        {(id) => (
          <Input
            id={id}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="email"
          />
        )}
      </Field>
      <Field label="Password" hint={mode === 'sign-up' ? 'At least 8 characters.' : undefined}>
        {(id) => (
          <Input
            id={id}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={mode === 'sign-up' ? 8 : undefined}
            autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
          />
        )}
      </Field>
      {error && (
        <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[12px] text-danger">
          {error}
        </p>
      )}
      <Button variant="primary" type="submit" loading={busy} className="mt-1 w-full">
        {mode === 'sign-in' ? 'Sign in' : 'Create account'}
      </Button>
    </form>
  )
}
