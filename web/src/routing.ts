import { useSyncExternalStore } from 'react';

const NAVIGATE_EVENT = 'konvent:navigate';

/** The page a path leads to. */
export type Route =
  | { page: 'start' }
  | { page: 'meeting'; meetingId: string }
  | { page: 'audit' }
  | { page: 'notFound' };

const MEETING_PATH = /^\/m\/([A-Za-z0-9_-]{22})\/?$/;

/** Maps a path to a page; meeting ids that cannot be valid never reach the server. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'start' };
  if (pathname === '/audit' || pathname === '/audit/') return { page: 'audit' };
  const match = MEETING_PATH.exec(pathname);
  if (match?.[1]) return { page: 'meeting', meetingId: match[1] };
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
