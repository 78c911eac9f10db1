import { BreakoutEnterReply, BreakoutParams, sessionCookieName } from '@konvent/protocol';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/AppError.ts';
import type { MeetingService } from '../meetings/MeetingService.ts';
import { memberOf, setMeetingCookie } from './meetingMember.ts';

/** What the breakout routes need. */
export interface BreakoutRouteDeps {
  meetings: MeetingService;
  publicUrl: string;
  /** Whether the room's session cookie gets `Secure` (this server speaks TLS). */
  secureCookies: boolean;
  /** Requests per minute and IP. */
  perMinute: number;
}

/**
 * `POST /api/meetings/:meetingId/breakouts/:roomId/enter`: someone admitted to the main
 * meeting (its session cookie, this site's Origin) enters a breakout room and gets the
 * room's session cookie, as a join would give it.
 */
export function breakoutRoutes(deps: BreakoutRouteDeps) {
  return (app: FastifyInstance): Promise<void> => {
    app.post<{ Params: BreakoutParams }>(
      '/meetings/:meetingId/breakouts/:roomId/enter',
      {
        schema: { params: BreakoutParams, response: { 200: BreakoutEnterReply } },
        config: { rateLimit: { max: deps.perMinute, timeWindow: 60_000 } },
      },
      async (request, reply) => {
        const session = await memberOf(deps, request);
        const raw = request.cookies[sessionCookieName(session.meetingId)] ?? '';
        const secret = request.unsignCookie(raw);
        if (!secret.valid) throw new AppError('unauthenticated');
        const entered = await deps.meetings.breakouts.enter(
          session.meetingId,
          session.participantId,
          request.params.roomId,
          secret.value,
          { source: request.ip },
        );
        setMeetingCookie(reply, entered.meetingId, entered.sessionSecret, deps.secureCookies);
        const body: BreakoutEnterReply = {
          meetingId: entered.meetingId,
          participantId: entered.participantId,
          role: entered.role,
          title: entered.title,
        };
        return body;
      },
    );
    return Promise.resolve();
  };
}
