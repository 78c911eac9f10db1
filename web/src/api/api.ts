import type {
  CheckLinkReply,
  CreateMeetingBody,
  CreateMeetingReply,
  JoinReply,
} from '@konvent/protocol';
import { isErrorCode } from '@konvent/protocol';
import { ApiError } from './ApiError.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function post<T>(path: string, body: object): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError('network', 0, error instanceof Error ? error.message : 'fetch failed');
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) {
    // The server validates its replies against the protocol schemas.
    return payload as T;
  }
  const code = isRecord(payload) && isErrorCode(payload.code) ? payload.code : 'internal';
  const message = isRecord(payload) && typeof payload.message === 'string' ? payload.message : '';
  throw new ApiError(code, response.status, message || response.statusText);
}

/** Creates a meeting; the reply carries the moderator and participant links. */
export function createMeeting(title: string): Promise<CreateMeetingReply> {
  const body: CreateMeetingBody = title ? { title } : {};
  return post('/api/meetings', body);
}

/** Checks a meeting link before the pre-join page (404 `not_found`, 410 `meeting_ended`). */
export function checkLink(meetingId: string, token: string): Promise<CheckLinkReply> {
  return post(`/api/meetings/${encodeURIComponent(meetingId)}/check`, { token });
}

/** Joins a meeting; the server answers with a session cookie for the signalling socket. */
export function joinMeeting(
  meetingId: string,
  token: string,
  displayName: string,
): Promise<JoinReply> {
  return post(`/api/meetings/${encodeURIComponent(meetingId)}/join`, { token, displayName });
}
