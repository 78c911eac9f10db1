import { Readable } from 'node:stream';
import {
  MeetingParams,
  SharedMediaListReply,
  SharedMediaParams,
  UploadPresentationQuery,
  UploadSharedMediaReply,
} from '@konvent/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/AppError.ts';
import type { MeetingService, Session } from '../meetings/MeetingService.ts';
import { memberOf } from './meetingMember.ts';

/** What the shared media routes need. */
export interface SharedMediaRouteDeps {
  meetings: MeetingService;
  publicUrl: string;
  /** Requests per minute and IP for each route (a player asks for many ranges). */
  perMinute: number;
  /** Uploads this process reads at once; more wait for none and are `rate_limited`. */
  concurrentUploads?: number;
}

/** Who sent an upload, found before its body is read (see `onRequest` below). */
const sessions = new WeakMap<FastifyRequest, Session>();

/** The body types an upload may come with; the server decides what the file is itself. */
const UPLOAD_TYPES = /^(?:audio\/[\w.+-]+|video\/[\w.+-]+|application\/octet-stream)$/;

/**
 * `/api/meetings/:meetingId/media…`: upload an audio or video file (presenters and
 * moderators) and stream one with range requests (everyone admitted to the meeting), both
 * with the meeting's session cookie. Uploads are held in memory while they are checked and
 * sealed (never written to disk in the clear), so at most `concurrentUploads` run at once.
 * The server never fetches a URL for anyone: media arrives only as an upload's bytes.
 */
export function sharedMediaRoutes(deps: SharedMediaRouteDeps) {
  return (app: FastifyInstance): Promise<void> => {
    const rateLimit = { max: deps.perMinute, timeWindow: 60_000 };
    const { maxBytes } = deps.meetings.content.media.limits;
    const slots = deps.concurrentUploads ?? 2;
    let uploading = 0;
    app.addContentTypeParser(
      UPLOAD_TYPES,
      { parseAs: 'buffer', bodyLimit: maxBytes },
      (_request, body, done) => {
        done(null, body);
      },
    );

    app.post<{ Params: MeetingParams; Querystring: UploadPresentationQuery; Body: Buffer }>(
      '/meetings/:meetingId/media',
      {
        schema: {
          params: MeetingParams,
          querystring: UploadPresentationQuery,
          response: { 201: UploadSharedMediaReply },
        },
        config: { rateLimit },
        bodyLimit: maxBytes,
        // Who may upload is settled before the body is read: strangers send no 200 MiB.
        onRequest: async (request, reply) => {
          const session = await memberOf(deps, request);
          await deps.meetings.content.media.authorizeUpload(
            session.participantId,
            session.meetingId,
          );
          if (uploading >= slots)
            throw new AppError('rate_limited', 'Other uploads are running; try again shortly.');
          uploading += 1;
          // The slot frees when the answer is sent or the connection drops, whichever is first.
          reply.raw.once('close', () => {
            uploading -= 1;
          });
          sessions.set(request, session);
        },
      },
      async (request, reply) => {
        const session = sessions.get(request);
        if (session === undefined) throw new AppError('unauthenticated');
        if (!Buffer.isBuffer(request.body))
          throw new AppError(
            'bad_request',
            'Send the file with an audio/*, video/* or application/octet-stream content type.',
          );
        const media = await deps.meetings.content.media.upload(
          session.participantId,
          session.meetingId,
          request.query.name,
          request.body,
          { source: request.ip },
        );
        const body: UploadSharedMediaReply = { media };
        return reply.code(201).send(body);
      },
    );

    app.get<{ Params: MeetingParams }>(
      '/meetings/:meetingId/media',
      {
        schema: { params: MeetingParams, response: { 200: SharedMediaListReply } },
        config: { rateLimit },
      },
      async (request) => {
        const session = await memberOf(deps, request);
        const media = await deps.meetings.content.media.list(
          session.participantId,
          session.meetingId,
        );
        const body: SharedMediaListReply = { media };
        return body;
      },
    );

    app.get<{ Params: SharedMediaParams }>(
      '/meetings/:meetingId/media/:mediaId',
      { schema: { params: SharedMediaParams }, config: { rateLimit } },
      async (request, reply) => {
        const session = await memberOf(deps, request);
        const asked = parseRange(request.headers.range);
        const { record, range, body } = await deps.meetings.content.media.read(
          session.participantId,
          session.meetingId,
          request.params.mediaId,
          asked,
        );
        const partial = asked !== undefined;
        if (partial)
          reply
            .code(206)
            .header(
              'content-range',
              `bytes ${String(range.start)}-${String(range.end)}/${String(record.size)}`,
            );
        return (
          reply
            .header('content-type', record.mime)
            .header('content-length', String(range.end - range.start + 1))
            .header('accept-ranges', 'bytes')
            // Played by the page's own player; opened directly it downloads, and a sandbox
            // keeps it from running anything in our origin.
            .header('content-disposition', 'attachment; filename="media"')
            .header('content-security-policy', "sandbox; default-src 'none'")
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'no-store')
            .send(Readable.from(body))
        );
      },
    );
    return Promise.resolve();
  };
}

/**
 * One byte range from a `Range` header (RFC 9110, section 14.2): `bytes=a-b`, `bytes=a-` or
 * `bytes=-n`. No header, another unit, several ranges or a malformed one ask for the whole
 * file, as the RFC lets a server answer them.
 */
export function parseRange(
  header: string | undefined,
): { start?: number; end?: number; suffix?: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (match === null) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return undefined;
  if (from === '') return { suffix: Number(to) };
  if (to === '') return { start: Number(from) };
  if (Number(to) < Number(from)) return undefined;
  return { start: Number(from), end: Number(to) };
}
