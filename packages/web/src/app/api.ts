import { ApiError, createClient } from '@patchbay/sdk'
import { QueryClient } from '@tanstack/react-query'

/** The one API client of the web app: same origin, session cookie (or local mode). */
export const api = createClient({ baseUrl: '' })

export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } },
})

/**
 * Signs up through an invitation link: on a server with `PATCHBAY_SIGNUP=invite` only invited
 * people may create an account, and the token in the query proves it. Then signs in, as sign-up
 * opens no session.
 */
export async function signUpInvited(body: { email: string; password: string; name: string }, token: string) {
  const response = await fetch(`/api/auth/sign-up/email?invitation=${encodeURIComponent(token)}`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw await ApiError.from(response)
  await api.auth.signIn(body)
}
