import type {
  CreateInvitationBody,
  CreateInvitationReply,
  InvitationsReply,
  MeetingPolicyChanges,
  PolicyReply,
} from '@konvent/protocol';
import { request } from './request.ts';
import type { RequestOptions } from './request.ts';

/**
 * Who calls a meeting's policy and invitation routes: its organiser from the start page
 * (the account session) or one of its moderators in the meeting (the meeting's session
 * cookie). The server tells them apart by the CSRF header: with it the request acts as the
 * account (so the organiser sends it even on reads), without it as the meeting session (so a
 * moderator never sends it, although moderators are usually signed in too). A 401 for a
 * moderator ends only the meeting session and must not sign the account out.
 */
export type MeetingCaller = 'organiser' | 'moderator';

/** The policy and invitation calls for one meeting, bound to who makes them. */
export interface MeetingSecurityApi {
  getPolicy: () => Promise<PolicyReply>;
  updatePolicy: (changes: MeetingPolicyChanges) => Promise<PolicyReply>;
  listInvitations: () => Promise<InvitationsReply>;
  createInvitation: (body: CreateInvitationBody) => Promise<CreateInvitationReply>;
  revokeInvitation: (invitationId: string) => Promise<void>;
}

/** The policy and invitation calls for `meetingId`, made as `caller`. */
export function meetingSecurityApi(meetingId: string, caller: MeetingCaller): MeetingSecurityApi {
  const base = `/api/meetings/${encodeURIComponent(meetingId)}`;
  const options: RequestOptions =
    caller === 'moderator' ? { accountSession: false, csrf: 'never' } : { csrf: 'always' };
  return {
    getPolicy: () => request('GET', `${base}/policy`, undefined, options),
    updatePolicy: (changes) => request('PATCH', `${base}/policy`, changes, options),
    listInvitations: () => request('GET', `${base}/invitations`, undefined, options),
    createInvitation: (body) => request('POST', `${base}/invitations`, body, options),
    revokeInvitation: (invitationId) =>
      request(
        'DELETE',
        `${base}/invitations/${encodeURIComponent(invitationId)}`,
        undefined,
        options,
      ),
  };
}
