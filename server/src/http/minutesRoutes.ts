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
import type { MinutesReader } from '../meetings/MinutesArchive.ts';
import type { MeetingService } from '../meetings/MeetingService.ts';
import { memberOf } from './meetingMember.ts';
import { requireSession, sessionSecretOf } from './sessionCookie.ts';

/** What the minutes routes need. */
export interface MinutesRouteDeps {
  meetings: MeetingService;
  auth: AuthService;
  publicUrl: string;
  /** Requests per minute and IP for each route. */
  perMinute: number;
}

/**
 * `/api/meetings/:meetingId/minutes…` and `/api/minutes`: the minutes as JSON, exported as
 * Markdown or PDF, and the list of an account's minutes. While the meeting runs, its
 * admitted participants read them with the meeting's session cookie; afterwards the
 * accounts that created it or took part signed in. Anyone else gets `not_found`, as for a
 * meeting that does not exist.
 */
export function minutesRoutes(deps: MinutesRouteDeps) {
  return (app: FastifyInstance): Promise<void> => {
    const rateLimit = { max: deps.perMinute, timeWindow: 60_000 };
    const archive = deps.meetings.minutesArchive;

    app.get<{ Params: MeetingParams }>(
      '/meetings/:meetingId/minutes',
      {
        schema: { params: MeetingParams, response: { 200: MinutesRecord } },
        config: { rateLimit },
      },
      async (request) => {
        const reader = await readerOf(deps, request);
        const body: MinutesRecord = await archive.read(request.params.meetingId, reader);
        return body;
      },
    );

    app.get<{ Params: MeetingParams; Querystring: MinutesExportQuery }>(
      '/meetings/:meetingId/minutes/export',
      { schema: { params: MeetingParams, querystring: MinutesExportQuery }, config: { rateLimit } },
      async (request, reply) => {
        const reader = await readerOf(deps, request);
        const file = await archive.export(request.params.meetingId, reader, request.query.format, {
          source: request.ip,
        });
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('content-security-policy', "sandbox; default-src 'none'")
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-store')
          .send(file.body);
      },
    );

    app.get(
      '/minutes',
      { schema: { response: { 200: MinutesListReply } }, config: { rateLimit } },
      async (request) => {
        const context = await requireSession(deps.auth, request);
        const body: MinutesListReply = { minutes: await archive.list(context.user.id) };
        return body;
      },
    );
    return Promise.resolve();
  };
}

/**
 * Who asks: the admitted participant behind the meeting's session cookie (while it runs),
 * else the signed-in account; with neither, `not_found` (nothing said about the meeting).
 */
async function readerOf(
  deps: MinutesRouteDeps,
  request: FastifyRequest<{ Params: MeetingParams }>,
): Promise<MinutesReader> {
  const { meetingId } = request.params;
  if (request.cookies[sessionCookieName(meetingId)] !== undefined) {
    try {
      const session = await memberOf(deps, request);
      return { kind: 'participant', meetingId, participantId: session.participantId };
    } catch (error) {
      // An ended meeting's session is dead; the account may still read its minutes.
      if (!(error instanceof AppError) || error.code === 'internal') throw error;
    }
  }
  if (sessionSecretOf(request) !== undefined) {
    try {
      const context = await requireSession(deps.auth, request);
      return { kind: 'user', userId: context.user.id };
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'internal') throw error;
    }
  }
  throw new AppError('not_found');
}
