import type {
  CheckLinkReply,
  CreateMeetingBody,
  CreateMeetingReply,
  JoinBody,
  JoinReply,
  MeetingPolicyChanges,
} from '@konvent/protocol';
import { request } from './request.ts';

/**
 * Creates a meeting (signed-in organisers); the reply carries both links, the policy and a
 * generated passcode (once). Policy fields left out take the server's restrictive defaults.
 */
export function createMeeting(
  title: string,
  policy: MeetingPolicyChanges = {},
): Promise<CreateMeetingReply> {
  const body: CreateMeetingBody = {
    ...(title ? { title } : {}),
    ...(Object.keys(policy).length > 0 ? { policy } : {}),
  };
  return request('POST', '/api/meetings', body);
}

/** Checks a meeting link before the pre-join page (404 `not_found`, 410 `meeting_ended`). */
export function checkLink(meetingId: string, token: string): Promise<CheckLinkReply> {
  return request('POST', `/api/meetings/${encodeURIComponent(meetingId)}/check`, { token });
}

/**
 * Joins a meeting; the server answers with a session cookie for the signalling socket and
 * whether I am in or wait in the lobby. `secret` is the meeting passcode or the invitation's
 * PIN when the link check asked for one (401 `invalid_credentials` when wrong).
 */
export function joinMeeting(
  meetingId: string,
  token: string,
  displayName: string,
  secret?: string,
): Promise<JoinReply> {
  const body: JoinBody = { token, displayName, ...(secret === undefined ? {} : { secret }) };
  return request('POST', `/api/meetings/${encodeURIComponent(meetingId)}/join`, body);
}
