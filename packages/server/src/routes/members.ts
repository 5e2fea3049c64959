import { randomBytes, randomUUID } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import type { InvitationRecord, MemberRecord } from '@patchbay/db'
import type { Context } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { ApiError, notFound } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import { errorResponses, idParams, idSchema, jsonContent, roleSchema, timestamp } from '../api/schemas.ts'
import { hashToken } from '../auth/api-key-format.ts'
import { requireIdentity, requireRole } from '../auth/authenticate.ts'
import { hasRole } from '../auth/roles.ts'

const memberSchema = z
  .object({ userId: z.string(), name: z.string(), email: z.string(), role: roleSchema, joinedAt: timestamp })
  .openapi('Member')

const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: roleSchema,
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    createdAt: timestamp,
    expiresAt: timestamp,
  })
  .openapi('Invitation')

const userParams = z.object({ userId: idSchema })
const invitationDays = 7

function memberJson(member: MemberRecord) {
  return {
    userId: member.userId,
    name: member.user.name,
    email: member.user.email,
    role: member.role,
    joinedAt: member.createdAt.toISOString(),
  }
}

function invitationJson(invitation: InvitationRecord, now = Date.now()) {
  const status = invitation.acceptedAt
    ? 'accepted'
    : invitation.revokedAt
      ? 'revoked'
      : invitation.expiresAt.getTime() <= now
        ? 'expired'
        : 'pending'
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: status as 'pending' | 'accepted' | 'revoked' | 'expired',
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  }
}

const tags = ['members']

/** Memberships and invitations of the organisation a request acts in. */
export function memberRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/members',
      tags,
      summary: 'Members and their roles',
      middleware: [requireRole('viewer')] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(memberSchema) }), 'Members'), ...errorResponses },
    }),
    async (c) => {
      const members = await c.var.services.accounts.listMembers(c.var.actor.orgId)
      return c.json({ items: members.map(memberJson) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/members/{userId}',
      tags,
      summary: 'Change a member’s role',
      description: 'Admins manage viewers, editors and admins; only owners grant or take away ownership.',
      middleware: [requireRole('admin')] as const,
      request: {
        params: userParams,
        body: { content: { 'application/json': { schema: z.object({ role: roleSchema }) } }, required: true },
      },
      responses: { 200: jsonContent(memberSchema, 'The member'), ...errorResponses },
    }),
    async (c) => {
      const { accounts } = c.var.services
      const { orgId, role: myRole } = c.var.actor
      const { userId } = c.req.valid('param')
      const { role } = c.req.valid('json')
      const member = await accounts.getMember(orgId, userId)
      if (!member) throw notFound('member', userId)
      if ((member.role === 'owner' || role === 'owner') && myRole !== 'owner') {
        throw new ApiError(403, 'FORBIDDEN', 'only an owner can grant or take away the owner role')
      }
      if (member.role === 'owner' && role !== 'owner') await refuseLastOwner(c, orgId)
      return c.json(memberJson(await accounts.putMember({ orgId, userId, role })), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/members/{userId}',
      tags,
      summary: 'Remove a member (or leave, with your own id)',
      middleware: [requireRole('viewer')] as const,
      request: { params: userParams },
      responses: { 204: { description: 'Removed' }, ...errorResponses },
    }),
    async (c) => {
      const { accounts } = c.var.services
      const { orgId, role: myRole, userId: me } = c.var.actor
      const { userId } = c.req.valid('param')
      const member = await accounts.getMember(orgId, userId)
      if (!member) throw notFound('member', userId)
      const leaving = userId === me
      if (!leaving && !hasRole(myRole, 'admin')) throw new ApiError(403, 'FORBIDDEN', 'this needs the admin role')
      if (!leaving && member.role === 'owner' && myRole !== 'owner') {
        throw new ApiError(403, 'FORBIDDEN', 'only an owner can remove an owner')
      }
      if (member.role === 'owner') await refuseLastOwner(c, orgId)
      // Their API keys in this organisation are revoked with the membership.
      await accounts.removeMember(orgId, userId, new Date())
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/invitations',
      tags,
      summary: 'Invitations to the organisation',
      middleware: [requireRole('admin')] as const,
      responses: {
        200: jsonContent(z.object({ items: z.array(invitationSchema) }), 'Pending first'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const invitations = await c.var.services.accounts.listInvitations(c.var.actor.orgId)
      return c.json({ items: invitations.map((invitation) => invitationJson(invitation)) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/invitations',
      tags,
      summary: 'Invite someone by email',
      description:
        'Answers the invitation link once; send it to the invitee. They sign up (or in) and POST the token to /invitations/accept.',
      middleware: [requireRole('admin')] as const,
      request: {
        body: {
          content: { 'application/json': { schema: z.object({ email: z.email().max(320), role: roleSchema }) } },
          required: true,
        },
      },
      responses: {
        201: jsonContent(
          invitationSchema.extend({ token: z.string(), url: z.string() }),
          'The invitation, with its token (shown only now)',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { accounts, config } = c.var.services
      const { orgId, role: myRole, userId } = c.var.actor
      const { email, role } = c.req.valid('json')
      if (role === 'owner' && myRole !== 'owner')
        throw new ApiError(403, 'FORBIDDEN', 'only an owner can invite an owner')
      const token = randomBytes(24).toString('base64url')
      const now = new Date()
      const invitation = await accounts.createInvitation({
        id: randomUUID(),
        orgId,
        email: email.toLowerCase(),
        role,
        tokenHash: hashToken(token),
        invitedBy: userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + invitationDays * 86_400_000),
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
      })
      const url = `${config.publicUrl}/invite?token=${token}`
      return c.json({ ...invitationJson(invitation), token, url }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/invitations/{id}',
      tags,
      summary: 'Revoke an invitation',
      middleware: [requireRole('admin')] as const,
      request: { params: idParams },
      responses: { 204: { description: 'Revoked' }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      if (!(await c.var.services.accounts.revokeInvitation(c.var.actor.orgId, id, new Date()))) {
        throw notFound('invitation', id)
      }
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/invitations/accept',
      tags,
      summary: 'Join an organisation with an invitation token',
      request: {
        body: {
          content: { 'application/json': { schema: z.object({ token: z.string().min(1).max(200) }) } },
          required: true,
        },
      },
      responses: { 200: jsonContent(memberSchema.extend({ orgId: z.string() }), 'Your membership'), ...errorResponses },
    }),
    async (c) => {
      const identity = requireIdentity(c)
      if (identity.kind !== 'user') {
        throw new ApiError(403, 'FORBIDDEN', 'sign in as the invited person to accept an invitation')
      }
      const { accounts } = c.var.services
      const invitation = await accounts.getInvitationByTokenHash(hashToken(c.req.valid('json').token))
      const usable = invitation && invitation.email === identity.email.toLowerCase()
      const member = usable
        ? await accounts.acceptInvitation({ id: invitation.id, userId: identity.userId, now: new Date() })
        : undefined
      if (!member) {
        throw new ApiError(
          404,
          'INVITATION_NOT_FOUND',
          'this invitation does not exist, was used or revoked, has expired, or is for another email address',
        )
      }
      return c.json({ ...memberJson(member), orgId: member.orgId }, 200)
    },
  )

  return app
}

async function refuseLastOwner(c: Context<AppEnv>, orgId: string): Promise<void> {
  if ((await c.var.services.accounts.countOwners(orgId)) <= 1) {
    throw new ApiError(409, 'LAST_OWNER', 'an organisation needs at least one owner: make someone else owner first')
  }
}
