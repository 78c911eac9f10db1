import type { CacheItem, CacheProvider } from '@node-saml/node-saml';

/**
 * A request id as we issue it (`_` and 40 hex digits) and as SAML allows it (xs:ID);
 * anything else is refused before the caller's store is asked about it.
 */
const REQUEST_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

/**
 * The caller's check of an InResponseTo value: resolves true exactly once for an
 * AuthnRequest id that `SamlLogin.start()` issued, that has not expired and (ideally) that
 * was started by the same browser; it consumes the id, so a second response to one
 * request is refused. Throws only when the store itself fails.
 */
export type ExpectRequestId = (inResponseTo: string) => Promise<boolean>;

/**
 * node-saml's request-id cache for checking one response, put over the caller's
 * single-use store, so node-saml's own InResponseTo checks (`validateInResponseTo:
 * always`) apply to requests kept anywhere the caller likes. node-saml asks about the
 * same id more than once per response, so answers are remembered; the caller's store
 * already consumed the id when it answered, so `removeAsync` has nothing left to do.
 */
export class RequestIdCheck implements CacheProvider {
  readonly #expect: ExpectRequestId;
  readonly #answers = new Map<string, Promise<boolean>>();
  readonly #approved = new Set<string>();
  #failure: { readonly error: unknown } | undefined;

  constructor(expect: ExpectRequestId) {
    this.#expect = expect;
  }

  /** Whether the caller confirmed `id` as one of our pending requests. */
  approved(id: string): boolean {
    return this.#approved.has(id);
  }

  /**
   * What the caller's check threw, if it did: a failing store, which is the server's
   * problem and must not be reported as a bad response.
   */
  get failure(): { readonly error: unknown } | undefined {
    return this.#failure;
  }

  /** node-saml saves the ids of requests it generates; `start()` hands them to the caller instead. */
  saveAsync(_key: string, value: string): Promise<CacheItem> {
    return Promise.resolve({ value, createdAt: Date.now() });
  }

  /**
   * A non-null value means "a request we issued"; node-saml reads it as the request's
   * creation time and checks its age, which the caller's store has already done, so the
   * current time is given.
   */
  async getAsync(key: string): Promise<string | null> {
    if (!REQUEST_ID.test(key)) return null;
    let answer = this.#answers.get(key);
    if (answer === undefined) {
      answer = this.#ask(key);
      this.#answers.set(key, answer);
    }
    return (await answer) ? new Date().toISOString() : null;
  }

  /** The caller's store consumed the id when it answered. */
  removeAsync(key: string | null): Promise<string | null> {
    return Promise.resolve(key);
  }

  async #ask(id: string): Promise<boolean> {
    try {
      const expected = await this.#expect(id);
      if (expected) this.#approved.add(id);
      return expected;
    } catch (error) {
      this.#failure = { error };
      throw error;
    }
  }
}
