import { sessionCookieName, type MeetingParams } from '@konvent/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/AppError.ts';
import type { MeetingService, Session } from '../meetings/MeetingService.ts';

/**
 * The admitted participant behind the meeting's session cookie; a change must also come
 * with this site's Origin. Anyone else is `unauthenticated` (or `forbidden` while waiting).
 */
export async function memberOf(
  deps: { meetings: MeetingService; publicUrl: string },
  request: FastifyRequest<{ Params: MeetingParams }>,
): Promise<Session> {
  const { meetingId } = request.params;
  const raw = request.cookies[sessionCookieName(meetingId)];
  const unsigned = raw === undefined ? undefined : request.unsignCookie(raw);
  if (unsigned?.valid !== true) throw new AppError('unauthenticated');
  if (request.method !== 'GET' && request.headers.origin !== new URL(deps.publicUrl).origin)
    throw new AppError('csrf_failed');
  const session = await deps.meetings.authenticate(meetingId, unsigned.value);
  if (session.admission !== 'admitted') throw new AppError('forbidden');
  return session;
}

/**
 * Sets a meeting's session cookie `kv_<meetingId>` (a join's, or a breakout room's):
 * signed, HttpOnly, SameSite=Strict, Secure with TLS, a session cookie (no expiry).
 */
export function setMeetingCookie(
  reply: FastifyReply,
  meetingId: string,
  sessionSecret: string,
  secure: boolean,
): void {
  reply.setCookie(sessionCookieName(meetingId), sessionSecret, {
    signed: true,
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure,
  });
}
