import {
  CheckLinkBody,
  CheckLinkReply,
  CreateInvitationBody,
  CreateInvitationReply,
  CreateMeetingBody,
  CreateMeetingReply,
  InvitationParams,
  InvitationsReply,
  JoinBody,
  JoinReply,
  MeetingParams,
  MeetingPolicyChanges,
  PolicyReply,
  sessionCookieName,
} from '@konvent/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/AuthService.ts';
import type { MeetingManager } from '../meetings/MeetingAdmin.ts';
import type { MeetingService } from '../meetings/MeetingService.ts';
import { requireSession, sessionSecretOf } from './sessionCookie.ts';
import { memberOf, setMeetingCookie } from './meetingMember.ts';

/** What the meeting routes need. */
export interface MeetingRouteDeps {
  meetings: MeetingService;
  /** Who may create meetings: signed-in organisers. */
  auth: AuthService;
  publicUrl: string;
  /** Whether the session cookie gets `Secure` (this server speaks TLS). */
  secureCookies: boolean;
  /** Requests per minute and IP for each route. */
  perMinute: number;
}

/** The link a person opens; the token sits in the fragment, which browsers never send. */
export function meetingLink(publicUrl: string, meetingId: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/m/${meetingId}#k=${token}`;
}

/**
 * `/api/meetings…`: create a meeting, check a link, join. Bodies are validated against
 * the protocol's schemas before a handler runs; every route is rate-limited per IP.
 */
export function meetingRoutes(deps: MeetingRouteDeps) {
  return (app: FastifyInstance): Promise<void> => {
    const rateLimit = { max: deps.perMinute, timeWindow: 60_000 };

    app.post<{ Body: CreateMeetingBody }>(
      '/meetings',
      {
        schema: { body: CreateMeetingBody, response: { 201: CreateMeetingReply } },
        config: { rateLimit },
      },
      async (request, reply) => {
        // Only organisers create meetings (issue 4): an open server is not a free relay.
        const context = await requireSession(deps.auth, request);
        deps.auth.requireRole(context, 'organiser');
        const created = await deps.meetings.create(
          { title: request.body.title, createdBy: context.user.id, policy: request.body.policy },
          { source: request.ip },
        );
        const body: CreateMeetingReply = {
          meetingId: created.meeting.id,
          title: created.meeting.title,
          moderatorLink: meetingLink(deps.publicUrl, created.meeting.id, created.moderatorToken),
          participantLink: meetingLink(
            deps.publicUrl,
            created.meeting.id,
            created.participantToken,
          ),
          policy: created.policy,
          ...(created.passcode === undefined ? {} : { passcode: created.passcode }),
        };
        return reply.code(201).send(body);
      },
    );

    app.post<{ Params: MeetingParams; Body: CheckLinkBody }>(
      '/meetings/:meetingId/check',
      {
        schema: { params: MeetingParams, body: CheckLinkBody, response: { 200: CheckLinkReply } },
        config: { rateLimit },
      },
      async (request) => {
        const userId = await signedInUser(deps.auth, request);
        const checked = await deps.meetings.checkLink(
          request.params.meetingId,
          request.body.token,
          {
            source: request.ip,
            ...(userId === undefined ? {} : { userId }),
          },
        );
        const body: CheckLinkReply = checked;
        return body;
      },
    );

    app.post<{ Params: MeetingParams; Body: JoinBody }>(
      '/meetings/:meetingId/join',
      {
        schema: { params: MeetingParams, body: JoinBody, response: { 200: JoinReply } },
        config: { rateLimit },
      },
      async (request, reply) => {
        // The browser's earlier session of this meeting, if any: a banned one refuses the join.
        const raw = request.cookies[sessionCookieName(request.params.meetingId)];
        const previous = raw === undefined ? undefined : request.unsignCookie(raw);
        const userId = await signedInUser(deps.auth, request);
        const joined = await deps.meetings.join(
          request.params.meetingId,
          request.body.token,
          request.body.displayName,
          {
            source: request.ip,
            ...(previous?.valid === true ? { previousSession: previous.value } : {}),
            ...(userId === undefined ? {} : { userId }),
            ...(request.body.secret === undefined ? {} : { secret: request.body.secret }),
          },
        );
        setMeetingCookie(reply, joined.meetingId, joined.sessionSecret, deps.secureCookies);
        const body: JoinReply = {
          meetingId: joined.meetingId,
          participantId: joined.participantId,
          role: joined.role,
          admission: joined.admission,
        };
        return body;
      },
    );

    const manager = (request: FastifyRequest<{ Params: MeetingParams }>) =>
      managerOf(deps, request);

    app.get<{ Params: MeetingParams }>(
      '/meetings/:meetingId/policy',
      { schema: { params: MeetingParams, response: { 200: PolicyReply } }, config: { rateLimit } },
      async (request) => {
        const { meetingId } = request.params;
        const body: PolicyReply = {
          policy: await deps.meetings.admin.policy(await manager(request), meetingId),
        };
        return body;
      },
    );

    app.patch<{ Params: MeetingParams; Body: MeetingPolicyChanges }>(
      '/meetings/:meetingId/policy',
      {
        schema: {
          params: MeetingParams,
          body: MeetingPolicyChanges,
          response: { 200: PolicyReply },
        },
        config: { rateLimit },
      },
      async (request) => {
        const body: PolicyReply = await deps.meetings.admin.setPolicy(
          await manager(request),
          request.params.meetingId,
          request.body,
          { source: request.ip },
        );
        return body;
      },
    );

    app.get<{ Params: MeetingParams }>(
      '/meetings/:meetingId/invitations',
      {
        schema: { params: MeetingParams, response: { 200: InvitationsReply } },
        config: { rateLimit },
      },
      async (request) => {
        const body: InvitationsReply = {
          invitations: await deps.meetings.admin.invitations(
            await manager(request),
            request.params.meetingId,
          ),
        };
        return body;
      },
    );

    app.post<{ Params: MeetingParams; Body: CreateInvitationBody }>(
      '/meetings/:meetingId/invitations',
      {
        schema: {
          params: MeetingParams,
          body: CreateInvitationBody,
          response: { 201: CreateInvitationReply },
        },
        config: { rateLimit },
      },
      async (request, reply) => {
        const { meetingId } = request.params;
        const created = await deps.meetings.admin.invite(
          await manager(request),
          meetingId,
          request.body,
          { source: request.ip },
        );
        const body: CreateInvitationReply = {
          invitation: created.invitation,
          link: meetingLink(deps.publicUrl, meetingId, created.token),
          ...(created.pin === undefined ? {} : { pin: created.pin }),
        };
        return reply.code(201).send(body);
      },
    );

    app.delete<{ Params: InvitationParams }>(
      '/meetings/:meetingId/invitations/:invitationId',
      { schema: { params: InvitationParams }, config: { rateLimit } },
      async (request, reply) => {
        await deps.meetings.admin.revoke(
          await manager(request),
          request.params.meetingId,
          request.params.invitationId,
          { source: request.ip },
        );
        return reply.code(204).send();
      },
    );
    return Promise.resolve();
  };
}

/**
 * The account signed in on this browser, if any, with every factor its roles need passed.
 * Used only to let people in (the moderator link, signed-in guests), never to change an
 * account, so no CSRF token is asked: the join itself is protected by the Origin check.
 */
async function signedInUser(
  auth: AuthService,
  request: FastifyRequest,
): Promise<string | undefined> {
  const secret = sessionSecretOf(request);
  if (secret === undefined) return undefined;
  try {
    return (await auth.authenticateFull(secret)).user.id;
  } catch {
    return undefined;
  }
}

/**
 * Who manages a meeting's policy and invitations with this request. With an `x-csrf-token`
 * header, the signed-in account (its CSRF token checked on changes); otherwise the
 * meeting's session cookie, whose holder must be a moderator (the domain checks), and a
 * change must come with this site's Origin.
 */
async function managerOf(
  deps: MeetingRouteDeps,
  request: FastifyRequest<{ Params: MeetingParams }>,
): Promise<MeetingManager> {
  if (request.headers['x-csrf-token'] !== undefined) {
    const context = await requireSession(deps.auth, request);
    return { kind: 'user', id: context.user.id, admin: context.user.roles.includes('admin') };
  }
  const session = await memberOf(deps, request);
  return { kind: 'participant', id: session.participantId };
}
