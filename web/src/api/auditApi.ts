import type { AuditEventsQuery, AuditEventsReply, AuditSessionReply } from '@konvent/protocol';
import { request } from './request.ts';

// Auditor sessions are separate from account sessions (their own cookie): a 401 here says
// nothing about the account session.
const AUDITOR = { accountSession: false } as const;

/** Exchanges the single-use token of an auditor link for a session cookie. */
export function auditSignIn(token: string): Promise<AuditSessionReply> {
  return request('POST', '/api/audit/session', { token }, AUDITOR);
}

/** The current auditor session (401 `unauthenticated` without one). */
export function auditSession(): Promise<AuditSessionReply> {
  return request('GET', '/api/audit/session', undefined, AUDITOR);
}

/** One page of audit events, newest first. */
export function searchAuditEvents(query: AuditEventsQuery): Promise<AuditEventsReply> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const search = params.toString();
  return request(
    'GET',
    `/api/audit/events${search === '' ? '' : `?${search}`}`,
    undefined,
    AUDITOR,
  );
}

/** Ends the auditor session. */
export function auditSignOut(): Promise<void> {
  return request('POST', '/api/audit/signout', undefined, AUDITOR);
}
