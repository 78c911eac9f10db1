import type {
  CheckLinkReply,
  CreateMeetingBody,
  CreateMeetingReply,
  JoinReply,
} from '@konvent/protocol';
import { request } from './request.ts';

/** Creates a meeting (signed-in organisers); the reply carries both links. */
export function createMeeting(title: string): Promise<CreateMeetingReply> {
  const body: CreateMeetingBody = title ? { title } : {};
  return request('POST', '/api/meetings', body);
}

/** Checks a meeting link before the pre-join page (404 `not_found`, 410 `meeting_ended`). */
export function checkLink(meetingId: string, token: string): Promise<CheckLinkReply> {
  return request('POST', `/api/meetings/${encodeURIComponent(meetingId)}/check`, { token });
}

/** Joins a meeting; the server answers with a session cookie for the signalling socket. */
export function joinMeeting(
  meetingId: string,
  token: string,
  displayName: string,
): Promise<JoinReply> {
  return request('POST', `/api/meetings/${encodeURIComponent(meetingId)}/join`, {
    token,
    displayName,
  });
}
