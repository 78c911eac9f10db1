import { CSRF_HEADER, SESSION_COOKIE_NAME, type SessionReply } from '@konvent/protocol';
import { ApiCallError } from './ApiCallError.ts';

/**
 * One person's account session against a test server's JSON API, as a browser would hold
 * it: the `kv_session` cookie from the replies' Set-Cookie, and the CSRF token from every
 * SessionReply, sent on every state-changing request. Tests use it for set-up through the
 * real sign-in flows; the cookie can also be handed to a browser context.
 */
export class ApiSession {
  readonly origin: string;
  #cookie: string | undefined;
  #csrfToken: string | undefined;

  constructor(origin: string) {
    this.origin = origin;
  }

  /** The signed `kv_session` cookie value, for `BrowserContext.addCookies`. */
  get sessionCookie(): string | undefined {
    return this.#cookie;
  }

  /** The browser cookie that carries this session to `origin`. */
  browserCookie(): { name: string; value: string; url: string; httpOnly: true; sameSite: 'Lax' } {
    if (this.#cookie === undefined) throw new Error('this API session is not signed in');
    return {
      name: SESSION_COOKIE_NAME,
      value: this.#cookie,
      url: this.origin,
      httpOnly: true,
      sameSite: 'Lax',
    };
  }

  /** GET, answering the parsed JSON body. */
  get<T>(path: string): Promise<T> {
    return this.request('GET', path);
  }

  /** POST with a JSON body (`{}` when none is given, as the server wants for JSON). */
  post<T>(path: string, body: object = {}): Promise<T> {
    return this.request('POST', path, body);
  }

  /** PATCH with a JSON body. */
  patch<T>(path: string, body: object): Promise<T> {
    return this.request('PATCH', path, body);
  }

  /** DELETE. */
  delete(path: string): Promise<void> {
    return this.request('DELETE', path);
  }

  /** Sends one request; throws {@link ApiCallError} on any status outside 2xx. */
  async request<T>(method: string, path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#cookie !== undefined) headers.cookie = `${SESSION_COOKIE_NAME}=${this.#cookie}`;
    if (method !== 'GET' && this.#csrfToken !== undefined) headers[CSRF_HEADER] = this.#csrfToken;
    const reply = await fetch(`${this.origin}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    this.#takeCookie(reply.headers.getSetCookie());
    const text = await reply.text();
    if (!reply.ok) throw new ApiCallError(method, path, reply.status, text);
    if (text === '') return undefined as T;
    const payload = JSON.parse(text) as unknown;
    this.#takeCsrfToken(payload);
    return payload as T;
  }

  #takeCookie(setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (pair.slice(0, eq).trim() !== SESSION_COOKIE_NAME) continue;
      const value = pair.slice(eq + 1).trim();
      // A cleared cookie (sign-out) comes back empty or already expired.
      const expired = attributes.some((attribute) => {
        const [name = '', date = ''] = attribute.split('=');
        return name.trim().toLowerCase() === 'expires' && Date.parse(date) <= Date.now();
      });
      this.#cookie = value === '' || expired ? undefined : value;
      if (this.#cookie === undefined) this.#csrfToken = undefined;
    }
  }

  /** SessionReplies (and replies that carry one as `session`) bring the CSRF token. */
  #takeCsrfToken(payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    const direct = payload as Partial<SessionReply> & { session?: Partial<SessionReply> };
    const token = direct.csrfToken ?? direct.session?.csrfToken;
    if (typeof token === 'string') this.#csrfToken = token;
  }
}
