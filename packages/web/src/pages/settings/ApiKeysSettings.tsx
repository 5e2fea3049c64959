import type { ApiKey, Role } from '@patchbay/sdk'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, queryClient } from '../../app/api.ts'
import { confirmedAction } from '../../app/confirmed-action.ts'
import { errorMessage } from '../../app/errors.ts'
import { formatDate, formatRelative } from '../../app/format.ts'
import { useRole } from '../../app/session.ts'
import { Badge } from '../../ui/Badge.tsx'
import { Button } from '../../ui/Button.tsx'
import { CopyField } from '../../ui/CopyField.tsx'
import { ConfirmDialog, Dialog, FormDialog } from '../../ui/Dialog.tsx'
import { EmptyState, ErrorState } from '../../ui/EmptyState.tsx'
import { Field, Input, Select } from '../../ui/Input.tsx'
import { KeyIcon, PlusIcon } from '../../ui/icons.tsx'
import { SkeletonRows, Table, Td, Th, Tr } from '../../ui/Table.tsx'
import { grantableRoles, roleDescriptions } from './roles.ts'

const expiries = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: '', label: 'Never' },
]

function keyState(key: ApiKey): { label: string; tone: 'success' | 'neutral' | 'danger' } {
  if (key.revokedAt) return { label: 'revoked', tone: 'neutral' }
  if (key.expiresAt && Date.parse(key.expiresAt) < Date.now()) return { label: 'expired', tone: 'danger' }
  return { label: 'active', tone: 'success' }
}

/** `/settings/api-keys`: keys for scripts and CI, each acting in this organisation with a role. */
export function ApiKeysSettings() {
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => api.apiKeys.list() })
  const [creating, setCreating] = useState(false)
  const [revoking, setRevoking] = useState<ApiKey>()

  return (
    <section>
      <div className="mb-3 flex items-end justify-between gap-4">
        <div>
          <h2 className="font-semibold text-[14px]">API keys</h2>
          <p className="text-muted">
            For scripts and CI: send <code className="font-mono text-[12px]">Authorization: Bearer pbk_…</code>. A key
            is shown once.
          </p>
        </div>
        <Button variant="primary" icon={<PlusIcon size={14} />} onClick={() => setCreating(true)}>
          Create key
        </Button>
      </div>
      {keys.isError ? (
        <ErrorState message={errorMessage(keys.error)} onRetry={() => keys.refetch()} />
      ) : keys.isSuccess && keys.data.items.length === 0 ? (
        <EmptyState
          icon={<KeyIcon size={18} />}
          title="No API keys"
          description="Create a key to call the Patchbay API from scripts, CI or webhooks."
          action={
            <Button variant="primary" icon={<PlusIcon size={14} />} onClick={() => setCreating(true)}>
              Create key
            </Button>
          }
        />
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Role</Th>
              <Th>Last used</Th>
              <Th>Expires</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {keys.isPending ? (
              <SkeletonRows rows={3} columns={6} />
            ) : (
              keys.data.items.map((key) => {
                const state = keyState(key)
                return (
                  <Tr key={key.id} className={state.label === 'active' ? '' : 'opacity-60'}>
                    <Td className="font-medium">{key.name}</Td>
                    <Td className="font-mono text-[12px] text-muted">{key.prefix}…</Td>
                    <Td>
                      <Badge>{key.role}</Badge>
                    </Td>
                    <Td className="text-muted" title={formatDate(key.lastUsedAt)}>
                      {key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'Never'}
                    </Td>
                    <Td className="text-muted">
                      {state.label === 'active' ? (
                        key.expiresAt ? (
                          formatDate(key.expiresAt)
                        ) : (
                          'Never'
                        )
                      ) : (
                        <Badge tone={state.tone}>{state.label}</Badge>
                      )}
                    </Td>
                    <Td className="w-24 text-right">
                      {!key.revokedAt && (
                        <Button size="sm" variant="danger-ghost" onClick={() => setRevoking(key)}>
                          Revoke
                        </Button>
                      )}
                    </Td>
                  </Tr>
                )
              })
            )}
          </tbody>
        </Table>
      )}
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={revoking !== undefined}
        onClose={() => setRevoking(undefined)}
        title={`Revoke “${revoking?.name}”?`}
        description="Scripts using this key stop working immediately. This cannot be undone."
        confirmLabel="Revoke"
        onConfirm={async () => {
          if (!revoking) return
          await confirmedAction(
            () => api.apiKeys.revoke(revoking.id),
            { success: `Revoked “${revoking.name}”`, failure: 'Could not revoke the key' },
            () => void queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
          )
        }}
      />
    </section>
  )
}

function CreateKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const myRole = useRole()
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('editor')
  const [expiry, setExpiry] = useState('90')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [created, setCreated] = useState<string>()

  function close() {
    onClose()
    setName('')
    setRole('editor')
    setExpiry('90')
    setError(undefined)
    setCreated(undefined)
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault()
    if (!name.trim()) {
      setError('Give the key a name, e.g. “ci” or “render farm”.')
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      const key = await api.apiKeys.create({
        name: name.trim(),
        role,
        ...(expiry ? { expiresInDays: Number(expiry) } : {}),
      })
      setCreated(key.key)
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] })
    } catch (caught) {
      setError(errorMessage(caught))
    } finally {
      setBusy(false)
    }
  }

  if (created) {
    return (
      <Dialog
        open={open}
        onClose={close}
        dismissable={false}
        title="Copy your new key"
        description="This is the only time the key is shown. Store it somewhere safe, like your CI's secrets."
        footer={
          <Button variant="primary" onClick={close}>
            I have copied it
          </Button>
        }
      >
        <CopyField value={created} />
      </Dialog>
    )
  }
  return (
    <FormDialog
      open={open}
      onClose={close}
      title="Create API key"
      submitLabel="Create key"
      busy={busy}
      onSubmit={submit}
    >
      <Field label="Name">
        {(id) => (
          <Input id={id} value={name} onChange={(e) => setName(e.target.value)} placeholder="ci" maxLength={100} />
        )}
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Role" hint={roleDescriptions[role]}>
          {(id) => (
            <Select id={id} value={role} onChange={(e) => setRole(e.target.value as Role)} className="w-full">
              {grantableRoles(myRole).map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Expires">
          {(id) => (
            <Select id={id} value={expiry} onChange={(e) => setExpiry(e.target.value)} className="w-full">
              {expiries.map((option) => (
                <option key={option.label} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      {error && (
        <p role="alert" className="text-[12px] text-danger">
          {error}
        </p>
      )}
    </FormDialog>
  )
}
