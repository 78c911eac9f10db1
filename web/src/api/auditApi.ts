import type { AuditEventsQuery, AuditEventsReply, AuditSessionReply } from '@konvent/protocol';
import { isErrorCode } from '@konvent/protocol';
import { ApiError } from './ApiError.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError('network', 0, error instanceof Error ? error.message : 'fetch failed');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as T;
  const code = isRecord(payload) && isErrorCode(payload.code) ? payload.code : 'internal';
  const message = isRecord(payload) && typeof payload.message === 'string' ? payload.message : '';
  throw new ApiError(code, response.status, message || response.statusText);
}

/** Exchanges the single-use token of an auditor link for a session cookie. */
export function auditSignIn(token: string): Promise<AuditSessionReply> {
  return request('POST', '/api/audit/session', { token });
}

/** The current auditor session (401 `unauthenticated` without one). */
export function auditSession(): Promise<AuditSessionReply> {
  return request('GET', '/api/audit/session');
}

/** One page of audit events, newest first. */
export function searchAuditEvents(query: AuditEventsQuery): Promise<AuditEventsReply> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const search = params.toString();
  return request('GET', `/api/audit/events${search === '' ? '' : `?${search}`}`);
}

/** Ends the auditor session. */
export function auditSignOut(): Promise<void> {
  return request('POST', '/api/audit/signout');
}
