import type { FastifyInstance } from 'fastify';
import { TEST_ORIGIN } from './testServer.ts';

/** One answer of {@link ApiClient.call}. */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  /** The raw `set-cookie` headers of this answer. */
  setCookies: string[];
}

/**
 * A browser-like client over `app.inject`: keeps the cookies the server sets (as a browser
 * would, by name), sends the test Origin, and adds the session's CSRF token (learnt from
 * any answer that carries `csrfToken`) to every state-changing request.
 */
export class ApiClient {
  readonly #app: FastifyInstance;
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  /** The source address the server sees. */
  remoteAddress: string;

  constructor(app: FastifyInstance, remoteAddress = '198.51.100.7') {
    this.#app = app;
    this.remoteAddress = remoteAddress;
  }

  /** Sends a request; a body is sent as JSON (an empty object for bodiless POSTs). */
  async call<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { origin: TEST_ORIGIN, ...extraHeaders };
    if (this.cookies.size > 0) {
      headers['cookie'] = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (method !== 'GET' && this.csrfToken !== undefined && !('x-csrf-token' in extraHeaders)) {
      headers['x-csrf-token'] = this.csrfToken;
    }
    let payload: string | undefined;
    if (method === 'POST' || method === 'PATCH') {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body ?? {});
    }
    const response = await this.#app.inject({
      method,
      url,
      headers,
      remoteAddress: this.remoteAddress,
      ...(payload === undefined ? {} : { payload }),
    });
    const raw = response.headers['set-cookie'];
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    for (const cookie of setCookies) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    let parsed: unknown = response.body;
    try {
      parsed = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      // Not JSON (a redirect or a page): keep the text.
    }
    const token = csrfOf(parsed);
    if (token !== undefined) this.csrfToken = token;
    return {
      status: response.statusCode,
      body: parsed as T,
      headers: response.headers,
      setCookies,
    };
  }
}

function csrfOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record['csrfToken'] === 'string') return record['csrfToken'];
  return csrfOf(record['session']);
}
