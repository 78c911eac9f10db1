import { useSyncExternalStore } from 'react';
import type { PlatformRole, SessionReply } from '@konvent/protocol';
import { navigate } from '../routing.ts';
import { AuthStore } from './AuthStore.ts';
import type { AuthState } from './AuthStore.ts';

/** The one account-session store of this page. */
export const authStore = new AuthStore();

/** The account session state; re-renders on every change. */
export function useAuth(): AuthState {
  return useSyncExternalStore(authStore.subscribe, authStore.getSnapshot);
}

/** The session when it is fully signed in (every required factor passed), else null. */
export function fullSession(state: AuthState): SessionReply | null {
  return state.status === 'signedIn' && state.session.stage === 'full' ? state.session : null;
}

/** Whether a session's account holds a platform role. */
export function hasRole(session: SessionReply | null, role: PlatformRole): boolean {
  return session?.account.roles.includes(role) ?? false;
}

/**
 * Signs out, then leaves for the identity provider's logout page (sessions that came from
 * one) or for the sign-in page, which says "You have signed out".
 */
export async function signOutAndLeave(): Promise<void> {
  const redirectTo = await authStore.signOut();
  if (redirectTo !== null) window.location.assign(redirectTo);
  else navigate('/login');
}
