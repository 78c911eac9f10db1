import type { SessionReply } from '@konvent/protocol';
import { ApiError } from '../api/ApiError.ts';
import { fetchSession, logout } from '../api/authApi.ts';
import { onSessionLost, setCsrfToken } from '../api/request.ts';

/** Why the user is signed out, when the page should say so. */
export type SignedOutNotice = 'signedOut' | 'sessionEnded';

/** Where the account session stands, as the pages see it. */
export type AuthState =
  | { status: 'loading' }
  | { status: 'signedOut'; notice: SignedOutNotice | null }
  | { status: 'signedIn'; session: SessionReply };

/**
 * The account session of this page. The session cookie is HttpOnly, so the client knows
 * its session only from `GET /api/auth/session` (once at start) and from the SessionReply
 * of every sign-in step, which this store is handed. It keeps the API client's CSRF token
 * in step and notices when a request finds the session gone (signed out elsewhere,
 * revoked, expired, account disabled). Subscribe with `useSyncExternalStore`.
 */
export class AuthStore {
  #state: AuthState = { status: 'loading' };
  readonly #listeners = new Set<() => void>();
  #started = false;

  constructor() {
    onSessionLost(() => {
      this.#lost();
    });
  }

  /** The current state (a new object per change). */
  getSnapshot = (): AuthState => this.#state;

  /** Subscribes to changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** Fetches the session once; later calls do nothing (use {@link refresh} to ask again). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    // Failures leave the page signed out, which is all a start can do about them.
    this.refresh().catch(() => undefined);
  }

  /** Asks the server for the current session. */
  async refresh(): Promise<AuthState> {
    try {
      this.accept(await fetchSession());
    } catch (error) {
      // A lost session was already reported (with its notice) by the request layer.
      if (this.#state.status !== 'signedOut') {
        setCsrfToken(null);
        this.#set({ status: 'signedOut', notice: null });
      }
      if (!(error instanceof ApiError)) throw error;
    }
    return this.#state;
  }

  /** Takes the session a sign-in step (or the session endpoint) answered. */
  accept(session: SessionReply): void {
    setCsrfToken(session.csrfToken);
    this.#set({ status: 'signedIn', session });
  }

  /**
   * Signs out. Answers where to go next: the identity provider's logout page for sessions
   * that came from one, else null. Locally the session is over even if the request fails.
   */
  async signOut(): Promise<string | null> {
    let redirectTo: string | null = null;
    try {
      redirectTo = (await logout()).redirectTo;
    } catch {
      // Already gone on the server (expired, revoked): nothing left to end.
    }
    setCsrfToken(null);
    this.#set({ status: 'signedOut', notice: 'signedOut' });
    return redirectTo;
  }

  #lost(): void {
    if (this.#state.status !== 'signedIn') return;
    setCsrfToken(null);
    this.#set({ status: 'signedOut', notice: 'sessionEnded' });
  }

  #set(state: AuthState): void {
    this.#state = state;
    for (const listener of [...this.#listeners]) listener();
  }
}
