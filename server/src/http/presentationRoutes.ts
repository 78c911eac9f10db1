import {
  MeetingParams,
  PresentationParams,
  PresentationsReply,
  UploadPresentationQuery,
  UploadPresentationReply,
} from '@konvent/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/AppError.ts';
import type { MeetingService, Session } from '../meetings/MeetingService.ts';
import { memberOf } from './meetingMember.ts';

/** What the presentation routes need. */
export interface PresentationRouteDeps {
  meetings: MeetingService;
  publicUrl: string;
  /** Requests per minute and IP for each route. */
  perMinute: number;
}

/** Who sent a request, found before its body is read (see `onRequest` below). */
const sessions = new WeakMap<FastifyRequest, Session>();

/**
 * `/api/meetings/:meetingId/presentations…`: upload a PDF (presenters and moderators) and
 * download one (everyone admitted to the meeting), both with the meeting's session cookie.
 * Registered as its own plugin, so the `application/pdf` body parser and its body limit
 * apply to these routes only. The server never fetches a URL for anyone: a presentation
 * arrives only as the bytes of an upload.
 */
export function presentationRoutes(deps: PresentationRouteDeps) {
  return (app: FastifyInstance): Promise<void> => {
    const rateLimit = { max: deps.perMinute, timeWindow: 60_000 };
    const { maxBytes } = deps.meetings.content.presentations.limits;
    app.addContentTypeParser(
      'application/pdf',
      { parseAs: 'buffer', bodyLimit: maxBytes },
      (_request, body, done) => {
        done(null, body);
      },
    );

    app.post<{ Params: MeetingParams; Querystring: UploadPresentationQuery; Body: Buffer }>(
      '/meetings/:meetingId/presentations',
      {
        schema: {
          params: MeetingParams,
          querystring: UploadPresentationQuery,
          response: { 201: UploadPresentationReply },
        },
        config: { rateLimit },
        bodyLimit: maxBytes,
        // Who may upload is settled before the body is read: strangers send no 50 MiB.
        onRequest: async (request) => {
          const session = await memberOf(deps, request);
          await deps.meetings.content.presentations.authorizeUpload(
            session.participantId,
            session.meetingId,
          );
          sessions.set(request, session);
        },
      },
      async (request, reply) => {
        const session = sessions.get(request);
        if (session === undefined) throw new AppError('unauthenticated');
        if (!Buffer.isBuffer(request.body))
          throw new AppError('bad_request', 'Send the PDF with content-type application/pdf.');
        const presentation = await deps.meetings.content.presentations.upload(
          session.participantId,
          session.meetingId,
          request.query.name,
          request.body,
          { source: request.ip },
        );
        const body: UploadPresentationReply = { presentation };
        return reply.code(201).send(body);
      },
    );

    app.get<{ Params: MeetingParams }>(
      '/meetings/:meetingId/presentations',
      {
        schema: { params: MeetingParams, response: { 200: PresentationsReply } },
        config: { rateLimit },
      },
      async (request) => {
        const session = await memberOf(deps, request);
        const presentations = await deps.meetings.content.presentations.list(
          session.participantId,
          session.meetingId,
        );
        const body: PresentationsReply = { presentations };
        return body;
      },
    );

    app.get<{ Params: PresentationParams }>(
      '/meetings/:meetingId/presentations/:presentationId',
      { schema: { params: PresentationParams }, config: { rateLimit } },
      async (request, reply) => {
        const session = await memberOf(deps, request);
        const bytes = await deps.meetings.content.presentations.content(
          session.participantId,
          session.meetingId,
          request.params.presentationId,
        );
        return (
          reply
            .header('content-type', 'application/pdf')
            // Never rendered by the browser itself (the client draws it with pdf.js): opened
            // directly, an uploaded file downloads, and could not script anything anyway.
            .header('content-disposition', 'attachment; filename="presentation.pdf"')
            .header('content-security-policy', "sandbox; default-src 'none'")
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'no-store')
            .send(bytes)
        );
      },
    );
    return Promise.resolve();
  };
}
