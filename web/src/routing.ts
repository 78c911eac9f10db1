import { useSyncExternalStore } from 'react';

const NAVIGATE_EVENT = 'konvent:navigate';

/** The page a path leads to. */
export type Route =
  | { page: 'start' }
  | { page: 'meeting'; meetingId: string }
  | { page: 'audit' }
  | { page: 'login' }
  | { page: 'link'; kind: LinkPageKind }
  | { page: 'account' }
  | { page: 'adminUsers' }
  | { page: 'minutes'; meetingId?: string }
  | { page: 'notFound' };

/** The pages of one-time links: first administrator, invitation, password reset. */
export type LinkPageKind = 'setup' | 'welcome' | 'reset';

/** Fixed paths and their pages; a trailing slash is accepted. */
const FIXED: Readonly<Record<string, Route>> = {
  '/audit': { page: 'audit' },
  '/login': { page: 'login' },
  '/setup': { page: 'link', kind: 'setup' },
  '/welcome': { page: 'link', kind: 'welcome' },
  '/reset': { page: 'link', kind: 'reset' },
  '/account': { page: 'account' },
  '/admin/users': { page: 'adminUsers' },
  '/minutes': { page: 'minutes' },
};

const MEETING_PATH = /^\/m\/([A-Za-z0-9_-]{22})\/?$/;
const MINUTES_PATH = /^\/minutes\/([A-Za-z0-9_-]{22})\/?$/;

/** Maps a path to a page; meeting ids that cannot be valid never reach the server. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'start' };
  const fixed = FIXED[pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname];
  if (fixed) return fixed;
  const match = MEETING_PATH.exec(pathname);
  if (match?.[1]) return { page: 'meeting', meetingId: match[1] };
  const minutes = MINUTES_PATH.exec(pathname);
  if (minutes?.[1]) return { page: 'minutes', meetingId: minutes[1] };
  return { page: 'notFound' };
}

/**
 * Goes to an in-app address with the History API. An explicit `?lang=` is carried over so
 * the language stays pinned while moving between pages.
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const target = new URL(to, window.location.origin);
  const lang = new URLSearchParams(window.location.search).get('lang');
  if (lang && !target.searchParams.has('lang')) target.searchParams.set('lang', lang);
  const href = target.pathname + target.search + target.hash;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

/** The current path; re-renders on navigation. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/**
 * Where to go after signing in: the `next` parameter when it is a path of this app (never
 * another origin, so a crafted link cannot send a fresh session elsewhere), else home.
 */
export function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  return next !== null && /^\/(?![/\\])/.test(next) ? next : '/';
}

/** The sign-in address that comes back to `path` afterwards. */
export function loginPath(path: string = window.location.pathname): string {
  return path === '/' || path === '/login' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}
