import {
  MeetingParams,
  MinutesExportQuery,
  MinutesListReply,
  MinutesRecord,
  sessionCookieName,
} from '@konvent/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/AuthService.ts';
import { AppError } from '../errors/AppError.ts';
import type { MeetingService } from '../meetings/MeetingService.ts';
import type { MeetingAuditEvent } from '../meetings/ports.ts';
import { exportFileName, minutesMarkdown, minutesPdf } from './minutesExport.ts';
import { sessionSecretOf } from './sessionCookie.ts';

/** What the minutes routes need. */
export interface MinutesRouteDeps {
  meetings: MeetingService;
  auth: AuthService;
  perMinute: number;
}

/**
 * Minutes after (and during) the meeting: `GET /api/meetings/:meetingId/minutes`, its
 * export as Markdown or PDF, and `GET /api/minutes` (the signed-in account's). Who may read
 * a meeting's minutes: someone admitted to it while it runs (its session cookie), and
 * afterwards the account that created it or took part in it signed in. Anyone else gets
 * `404 not_found` (signed in) or `401 unauthenticated`, so meeting ids cannot be probed.
 */
export function minutesRoutes(deps: MinutesRouteDeps) {
  return (app: FastifyInstance): Promise<void> => {
    const config = { rateLimit: { max: deps.perMinute, timeWindow: 60_000 } };

    app.get<{ Params: MeetingParams }>(
      '/meetings/:meetingId/minutes',
      { schema: { params: MeetingParams, response: { 200: MinutesRecord } }, config },
      async (request) => {
        await readerOf(deps, request);
        return deps.meetings.minutes.record(request.params.meetingId);
      },
    );

    app.get<{ Params: MeetingParams; Querystring: MinutesExportQuery }>(
      '/meetings/:meetingId/minutes/export',
      { schema: { params: MeetingParams, querystring: MinutesExportQuery }, config },
      async (request, reply) => {
        const { meetingId } = request.params;
        const { format, lang = 'en' } = request.query;
        const reader = await readerOf(deps, request);
        const record = await deps.meetings.minutes.record(meetingId);
        const context = {
          participants: await deps.meetings.minutes.participantCount(meetingId),
          lang,
        };
        const body =
          format === 'pdf'
            ? await minutesPdf(record, context)
            : Buffer.from(minutesMarkdown(record, context), 'utf8');
        // Audited before the file leaves: an export whose record cannot be stored fails.
        await deps.meetings.minutes.exported(meetingId, reader, format, request.ip);
        return reply
          .header(
            'content-type',
            format === 'pdf' ? 'application/pdf' : 'text/markdown; charset=utf-8',
          )
          .header('content-disposition', `attachment; filename="${exportFileName(record, format)}"`)
          .header('content-security-policy', "sandbox; default-src 'none'")
          .header('x-content-type-options', 'nosniff')
          .send(body);
      },
    );

    app.get(
      '/minutes',
      { schema: { response: { 200: MinutesListReply } }, config },
      async (request) => {
        const context = await deps.auth.authenticateFull(sessionSecretOf(request));
        const body: MinutesListReply = {
          minutes: await deps.meetings.minutes.readable(context.user.id),
        };
        return body;
      },
    );
    return Promise.resolve();
  };
}

/** Who reads: an admitted participant of the running meeting, or an account allowed to. */
async function readerOf(
  deps: MinutesRouteDeps,
  request: FastifyRequest<{ Params: MeetingParams }>,
): Promise<MeetingAuditEvent['actor']> {
  const { meetingId } = request.params;
  const raw = request.cookies[sessionCookieName(meetingId)];
  const unsigned = raw === undefined ? undefined : request.unsignCookie(raw);
  if (unsigned?.valid === true) {
    const session = await deps.meetings
      .authenticate(meetingId, unsigned.value)
      .catch(() => undefined);
    if (session?.admission === 'admitted')
      return { kind: 'participant', id: session.participantId };
  }
  const secret = sessionSecretOf(request);
  if (secret === undefined) throw new AppError('unauthenticated');
  const context = await deps.auth.authenticateFull(secret);
  if (!(await deps.meetings.minutes.mayRead(meetingId, context.user.id)))
    throw new AppError('not_found');
  return { kind: 'user', id: context.user.id };
}
