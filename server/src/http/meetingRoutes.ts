import {
  CheckLinkBody,
  CheckLinkReply,
  CreateMeetingBody,
  CreateMeetingReply,
  JoinBody,
  JoinReply,
  MeetingParams,
  sessionCookieName,
} from '@konvent/protocol';
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../auth/AuthService.ts';
import type { MeetingService } from '../meetings/MeetingService.ts';
import { requireSession } from './sessionCookie.ts';

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
          { title: request.body.title, createdBy: context.user.id },
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
        const { meeting, role } = await deps.meetings.checkLink(
          request.params.meetingId,
          request.body.token,
          { source: request.ip },
        );
        const body: CheckLinkReply = { meetingId: meeting.id, title: meeting.title, role };
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
        const joined = await deps.meetings.join(
          request.params.meetingId,
          request.body.token,
          request.body.displayName,
          {
            source: request.ip,
            ...(previous?.valid === true ? { previousSession: previous.value } : {}),
          },
        );
        reply.setCookie(sessionCookieName(joined.meetingId), joined.sessionSecret, {
          signed: true,
          httpOnly: true,
          sameSite: 'strict',
          path: '/',
          secure: deps.secureCookies,
        });
        const body: JoinReply = {
          meetingId: joined.meetingId,
          participantId: joined.participantId,
          role: joined.role,
        };
        return body;
      },
    );
    return Promise.resolve();
  };
}
