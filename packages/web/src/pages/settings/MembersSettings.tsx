import type { Invitation, Member, Role } from '@patchbay/sdk'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, queryClient } from '../../app/api.ts'
import { confirmedAction } from '../../app/confirmed-action.ts'
import { errorMessage } from '../../app/errors.ts'
import { formatDate, formatRelative } from '../../app/format.ts'
import { meQueryKey, roleAtLeast, useMe, useRole } from '../../app/session.ts'
import { Badge } from '../../ui/Badge.tsx'
import { Button } from '../../ui/Button.tsx'
import { CopyField } from '../../ui/CopyField.tsx'
import { ConfirmDialog, Dialog, FormDialog } from '../../ui/Dialog.tsx'
import { ErrorState } from '../../ui/EmptyState.tsx'
import { Field, Input, Select } from '../../ui/Input.tsx'
import { PlusIcon } from '../../ui/icons.tsx'
import { SkeletonRows, Table, Td, Th, Tr } from '../../ui/Table.tsx'
import { toast } from '../../ui/toast.tsx'
import { grantableRoles, roleDescriptions } from './roles.ts'

/** Whether `mine` may change or remove a member who is `theirs` (owners only by owners). */
function canManage(mine: Role | undefined, theirs: Role) {
  return roleAtLeast(mine, 'admin') && (theirs !== 'owner' || mine === 'owner')
}

/** `/settings/members`: who is in the organisation, their roles, and invitations (admins). */
export function MembersSettings() {
  const role = useRole()
  const { data: me } = useMe()
  const isAdmin = roleAtLeast(role, 'admin')
  const members = useQuery({ queryKey: ['members'], queryFn: () => api.members.list() })
  const [removing, setRemoving] = useState<Member>()
  const [inviting, setInviting] = useState(false)

  async function setRole(member: Member, next: Role) {
    try {
      await api.members.setRole(member.userId, next)
      void queryClient.invalidateQueries({ queryKey: ['members'] })
      toast.success(
        `${member.name || member.email} is now ${next === 'admin' || next === 'owner' ? 'an' : 'a'} ${next}`,
      )
    } catch (error) {
      toast.error(error, 'Could not change the role')
    }
  }

  return (
    <div className="flex flex-col gap-8">
      <section>
        <div className="mb-3 flex items-end justify-between gap-4">
          <div>
            <h2 className="font-semibold text-[14px]">Members</h2>
            <p className="text-muted">People in this organisation and what they may do.</p>
          </div>
          {isAdmin && (
            <Button variant="primary" icon={<PlusIcon size={14} />} onClick={() => setInviting(true)}>
              Invite
            </Button>
          )}
        </div>
        {members.isError ? (
          <ErrorState message={errorMessage(members.error)} onRetry={() => members.refetch()} />
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Role</Th>
                <Th>Joined</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {members.isPending ? (
                <SkeletonRows rows={3} columns={4} />
              ) : members.data.items.length === 0 ? (
                <tr>
                  <Td colSpan={4} className="text-center text-muted">
                    No members: this organisation is used in local mode only.
                  </Td>
                </tr>
              ) : (
                members.data.items.map((member) => {
                  const self = member.userId === me?.user?.id
                  const manageable = canManage(role, member.role)
                  return (
                    <Tr key={member.userId}>
                      <Td>
                        <p className="font-medium">
                          {member.name || member.email}
                          {self && <span className="ml-1.5 font-normal text-muted">(you)</span>}
                        </p>
                        <p className="text-[12px] text-muted">{member.email}</p>
                      </Td>
                      <Td className="w-44">
                        {manageable && !self ? (
                          <Select
                            aria-label={`Role of ${member.email}`}
                            value={member.role}
                            onChange={(e) => setRole(member, e.target.value as Role)}
                          >
                            {grantableRoles(role).map((r) => (
                              <option key={r} value={r}>
                                {r}
                              </option>
                            ))}
                          </Select>
                        ) : (
                          <Badge tone={member.role === 'owner' ? 'accent' : 'neutral'}>{member.role}</Badge>
                        )}
                      </Td>
                      <Td className="w-36 text-muted" title={formatDate(member.joinedAt)}>
                        {formatRelative(member.joinedAt)}
                      </Td>
                      <Td className="w-28 text-right">
                        {(self || manageable) && (
                          <Button size="sm" variant="danger-ghost" onClick={() => setRemoving(member)}>
                            {self ? 'Leave' : 'Remove'}
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
      </section>

      {isAdmin && <Invitations />}

      <InviteDialog open={inviting} onClose={() => setInviting(false)} />
      <ConfirmDialog
        open={removing !== undefined}
        onClose={() => setRemoving(undefined)}
        title={
          removing?.userId === me?.user?.id
            ? 'Leave this organisation?'
            : `Remove ${removing?.name || removing?.email}?`
        }
        description={
          removing?.userId === me?.user?.id
            ? 'You lose access to its workflows, runs and assets until someone invites you again.'
            : 'They lose access to this organisation’s workflows, runs and assets.'
        }
        confirmLabel={removing?.userId === me?.user?.id ? 'Leave' : 'Remove'}
        onConfirm={async () => {
          if (!removing) return
          await confirmedAction(
            () => api.members.remove(removing.userId),
            { success: 'Member removed', failure: 'Could not remove the member' },
            () => {
              void queryClient.invalidateQueries({ queryKey: ['members'] })
              if (removing.userId === me?.user?.id) void queryClient.invalidateQueries({ queryKey: meQueryKey })
            },
          )
        }}
      />
    </div>
  )
}

function Invitations() {
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: () => api.invitations.list() })
  const [revoking, setRevoking] = useState<Invitation>()
  const pending = invitations.data?.items.filter((i) => i.status === 'pending') ?? []
  return (
    <section>
      <h2 className="font-semibold text-[14px]">Pending invitations</h2>
      <p className="mb-3 text-muted">Patchbay sends no email: pass the link on yourself.</p>
      {invitations.isError ? (
        <ErrorState message={errorMessage(invitations.error)} onRetry={() => invitations.refetch()} />
      ) : invitations.isSuccess && pending.length === 0 ? (
        <p className="rounded-lg border border-border border-dashed px-4 py-6 text-center text-muted">
          No pending invitations.
        </p>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>Expires</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {invitations.isPending ? (
              <SkeletonRows rows={2} columns={4} />
            ) : (
              pending.map((invitation) => (
                <Tr key={invitation.id}>
                  <Td className="font-medium">{invitation.email}</Td>
                  <Td>
                    <Badge>{invitation.role}</Badge>
                  </Td>
                  <Td className="text-muted" title={formatDate(invitation.expiresAt)}>
                    {formatRelative(invitation.expiresAt)}
                  </Td>
                  <Td className="w-28 text-right">
                    <Button size="sm" variant="danger-ghost" onClick={() => setRevoking(invitation)}>
                      Revoke
                    </Button>
                  </Td>
                </Tr>
              ))
            )}
          </tbody>
        </Table>
      )}
      <ConfirmDialog
        open={revoking !== undefined}
        onClose={() => setRevoking(undefined)}
        title="Revoke invitation?"
        description={`The link sent to ${revoking?.email} stops working.`}
        confirmLabel="Revoke"
        onConfirm={async () => {
          if (!revoking) return
          await confirmedAction(
            () => api.invitations.revoke(revoking.id),
            { success: 'Invitation revoked', failure: 'Could not revoke the invitation' },
            () => void queryClient.invalidateQueries({ queryKey: ['invitations'] }),
          )
        }}
      />
    </section>
  )
}

function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const myRole = useRole()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('editor')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [link, setLink] = useState<string>()

  function close() {
    onClose()
    setEmail('')
    setRole('editor')
    setError(undefined)
    setLink(undefined)
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const invitation = await api.invitations.create(email.trim(), role)
      // The server builds the link from its public URL; fall back to this page's origin.
      setLink(invitation.url || `${window.location.origin}/invite?token=${invitation.token}`)
      void queryClient.invalidateQueries({ queryKey: ['invitations'] })
    } catch (caught) {
      setError(errorMessage(caught))
    } finally {
      setBusy(false)
    }
  }

  if (link) {
    return (
      <Dialog
        open={open}
        onClose={close}
        dismissable={false}
        title="Send this link"
        description={`Whoever opens it can join as ${role} after signing up or in as ${email}. It is shown only once.`}
        footer={
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        }
      >
        <CopyField value={link} label="Copy link" />
      </Dialog>
    )
  }
  return (
    <FormDialog
      open={open}
      onClose={close}
      title="Invite someone"
      submitLabel="Create invitation"
      busy={busy}
      onSubmit={submit}
    >
      <Field label="Email">
        {(id) => (
          <Input
            id={id}
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="name@example.com"
          />
        )}
      </Field>
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
      {error && (
        <p role="alert" className="text-[12px] text-danger">
          {error}
        </p>
      )}
    </FormDialog>
  )
}
