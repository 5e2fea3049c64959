import type { Credential } from '@patchbay/sdk'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, queryClient } from '../../app/api.ts'
import { confirmedAction } from '../../app/confirmed-action.ts'
import { errorMessage } from '../../app/errors.ts'
import { formatDate, formatRelative } from '../../app/format.ts'
import { Badge } from '../../ui/Badge.tsx'
import { Button, IconButton } from '../../ui/Button.tsx'
import { ConfirmDialog, FormDialog } from '../../ui/Dialog.tsx'
import { EmptyState, ErrorState } from '../../ui/EmptyState.tsx'
import { Field, Input, Textarea } from '../../ui/Input.tsx'
import { EditIcon, KeyIcon, LockIcon, PlusIcon, TrashIcon } from '../../ui/icons.tsx'
import { placeholders, Skeleton } from '../../ui/Spinner.tsx'
import { SkeletonRows, Table, Td, Th, Tr } from '../../ui/Table.tsx'
import { toast } from '../../ui/toast.tsx'

const namePattern = /^[A-Z][A-Z0-9_]*$/

function refresh() {
  void queryClient.invalidateQueries({ queryKey: ['credentials'] })
  void queryClient.invalidateQueries({ queryKey: ['catalog', 'models'] })
}

/** `/settings/credentials`: the vault's secrets (names and metadata only) and which providers have a key. */
export function CredentialsSettings() {
  const credentials = useQuery({ queryKey: ['credentials'], queryFn: () => api.credentials.list() })
  const [editing, setEditing] = useState<Credential | 'new'>()
  const [deleting, setDeleting] = useState<Credential>()
  const [presetName, setPresetName] = useState<string>()

  return (
    <div className="flex flex-col gap-8">
      <section>
        <div className="mb-3 flex items-end justify-between gap-4">
          <div>
            <h2 className="font-semibold text-[14px]">Credentials</h2>
            <p className="text-muted">
              Provider keys and secrets, sealed at rest. Values go in and never come back out.
            </p>
          </div>
          <Button
            variant="primary"
            icon={<PlusIcon size={14} />}
            onClick={() => {
              setPresetName(undefined)
              setEditing('new')
            }}
          >
            Add credential
          </Button>
        </div>
        {credentials.isError ? (
          <ErrorState message={errorMessage(credentials.error)} onRetry={() => credentials.refetch()} />
        ) : credentials.isSuccess && credentials.data.items.length === 0 ? (
          <EmptyState
            icon={<LockIcon size={18} />}
            title="No credentials yet"
            description="Add a provider key such as OPENAI_API_KEY to use that provider's models in workflows."
            action={
              <Button variant="primary" icon={<PlusIcon size={14} />} onClick={() => setEditing('new')}>
                Add credential
              </Button>
            }
          />
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Used by</Th>
                <Th>Updated</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {credentials.isPending ? (
                <SkeletonRows rows={3} columns={4} />
              ) : (
                credentials.data.items.map((credential) => (
                  <Tr key={credential.id}>
                    <Td>
                      <p className="font-medium font-mono text-[12px]">{credential.name}</p>
                      {credential.description && <p className="text-[12px] text-muted">{credential.description}</p>}
                    </Td>
                    <Td>
                      <div className="flex flex-wrap gap-1">
                        {credential.usedBy.length === 0 ? (
                          <span className="text-[12px] text-muted">No provider</span>
                        ) : (
                          credential.usedBy.map((provider) => <Badge key={provider}>{provider}</Badge>)
                        )}
                      </div>
                    </Td>
                    <Td className="w-36 text-muted" title={formatDate(credential.updatedAt)}>
                      {formatRelative(credential.updatedAt)}
                    </Td>
                    <Td className="w-24 text-right">
                      <IconButton label={`Replace ${credential.name}`} size="sm" onClick={() => setEditing(credential)}>
                        <EditIcon size={14} />
                      </IconButton>
                      <IconButton label={`Delete ${credential.name}`} size="sm" onClick={() => setDeleting(credential)}>
                        <TrashIcon size={14} />
                      </IconButton>
                    </Td>
                  </Tr>
                ))
              )}
            </tbody>
          </Table>
        )}
      </section>

      <ProviderStatus
        onAdd={(name) => {
          setPresetName(name)
          setEditing('new')
        }}
      />

      <CredentialDialog credential={editing} presetName={presetName} onClose={() => setEditing(undefined)} />
      <ConfirmDialog
        open={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        title={`Delete ${deleting?.name}?`}
        description={
          deleting?.usedBy.length
            ? `Workflows using ${deleting.usedBy.join(', ')} will fail until you add the key again.`
            : 'Nodes that read it will fail until you add it again.'
        }
        confirmLabel="Delete"
        onConfirm={async () => {
          if (!deleting) return
          await confirmedAction(
            () => api.credentials.remove(deleting.id),
            { success: `Deleted ${deleting.name}`, failure: `Could not delete ${deleting.name}` },
            refresh,
          )
        }}
      />
    </div>
  )
}

function ProviderStatus({ onAdd }: { onAdd: (credentialName: string) => void }) {
  const models = useQuery({ queryKey: ['catalog', 'models'], queryFn: () => api.catalog.models() })
  return (
    <section>
      <h2 className="font-semibold text-[14px]">Providers</h2>
      <p className="mb-3 text-muted">Which model providers this organisation can call.</p>
      {models.isError ? (
        <ErrorState message={errorMessage(models.error)} onRetry={() => models.refetch()} />
      ) : (
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3">
          {models.isPending
            ? placeholders(3).map((key) => <Skeleton key={key} className="h-14" />)
            : models.data.providers.map((provider) => (
                <div
                  key={provider.id}
                  className="flex items-center justify-between gap-3 rounded-lg border border-border bg-panel px-3 py-2.5"
                >
                  <div className="min-w-0">
                    <p className="truncate font-medium">{provider.title}</p>
                    <p className="truncate font-mono text-[11px] text-muted">
                      {provider.local ? 'runs locally' : provider.credential}
                    </p>
                  </div>
                  {provider.configured ? (
                    <Badge tone="success">{provider.local ? 'available' : 'configured'}</Badge>
                  ) : provider.credential ? (
                    <Button size="sm" icon={<KeyIcon size={12} />} onClick={() => onAdd(provider.credential ?? '')}>
                      Add key
                    </Button>
                  ) : (
                    <Badge tone="warning">not configured</Badge>
                  )}
                </div>
              ))}
        </div>
      )}
    </section>
  )
}

function CredentialDialog({
  credential,
  presetName,
  onClose,
}: {
  credential: Credential | 'new' | undefined
  presetName: string | undefined
  onClose: () => void
}) {
  const isNew = credential === 'new'
  const existing = credential && credential !== 'new' ? credential : undefined
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  const [description, setDescription] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [openedFor, setOpenedFor] = useState<typeof credential>()

  // Reset the form each time the dialog opens for another credential.
  if (openedFor !== credential) {
    setOpenedFor(credential)
    setName(existing?.name ?? presetName ?? '')
    setValue('')
    setDescription(existing?.description ?? '')
    setError(undefined)
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault()
    if (isNew && !namePattern.test(name)) {
      setError('Use capitals, digits and underscores, like OPENAI_API_KEY.')
      return
    }
    if (!value) {
      setError('Enter the value.')
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      if (existing) {
        await api.credentials.update(existing.id, { value, description: description || null })
        toast.success(`Replaced the value of ${existing.name}`)
      } else {
        await api.credentials.create({ name, value, description: description || null })
        toast.success(`Added ${name}`)
      }
      refresh()
      onClose()
    } catch (caught) {
      setError(errorMessage(caught))
    } finally {
      setBusy(false)
    }
  }

  return (
    <FormDialog
      open={credential !== undefined}
      onClose={onClose}
      title={existing ? `Replace ${existing.name}` : 'Add credential'}
      description={existing ? 'The old value is overwritten; runs already started keep using it.' : undefined}
      submitLabel={existing ? 'Replace value' : 'Add'}
      busy={busy}
      onSubmit={submit}
      autoComplete="off"
    >
      {isNew && (
        <Field label="Name" hint="The environment-style name providers look for, e.g. OPENAI_API_KEY.">
          {(id) => (
            <Input
              id={id}
              value={name}
              onChange={(e) => setName(e.target.value.toUpperCase().replace(/[^A-Z0-9_]/g, '_'))}
              placeholder="OPENAI_API_KEY"
              className="font-mono"
              data-autofocus={presetName ? undefined : true}
            />
          )}
        </Field>
      )}
      <Field label="Value">
        {(id) => (
          <Input
            id={id}
            type="password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="new-password"
            placeholder="sk-…"
            data-autofocus={existing || presetName ? true : undefined}
          />
        )}
      </Field>
      <Field label="Description" hint="Optional: where the key comes from, who owns it.">
        {(id) => (
          <Textarea id={id} value={description} onChange={(e) => setDescription(e.target.value)} className="min-h-16" />
        )}
      </Field>
      {error && (
        <p role="alert" className="text-[12px] text-danger">
          {error}
        </p>
      )}
    </FormDialog>
  )
}
