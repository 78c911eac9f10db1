import { isErrorCode } from '@konvent/protocol';
import { ApiError } from './ApiError.ts';

/**
 * POSTs a file as the raw body to a meeting's upload route (same origin, the meeting's
 * cookie) and answers the JSON reply; a refusal is an `ApiError` with the server's code,
 * a lost connection one with code `network`.
 */
export async function uploadFile(path: string, file: Blob, contentType: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': contentType, accept: 'application/json' },
      body: file,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError('network', 0, error instanceof Error ? error.message : 'fetch failed');
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload;
  const body = (payload ?? {}) as { code?: unknown; message?: unknown };
  const code = isErrorCode(body.code) ? body.code : 'internal';
  const message = typeof body.message === 'string' ? body.message : response.statusText;
  throw new ApiError(code, response.status, message);
}
