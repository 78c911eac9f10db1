const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function storageKey(meetingId: string): string {
  return `konvent.token.${meetingId}`;
}

/**
 * The link token for a meeting: from the address fragment (`#k=<token>`) when present, else
 * from this tab's session storage, so a reload keeps working after the fragment is gone.
 * Malformed tokens are treated as absent and never sent to the server.
 */
export function readToken(meetingId: string): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('k');
  try {
    if (fromHash && TOKEN_PATTERN.test(fromHash)) {
      sessionStorage.setItem(storageKey(meetingId), fromHash);
      return fromHash;
    }
    const stored = sessionStorage.getItem(storageKey(meetingId));
    return stored && TOKEN_PATTERN.test(stored) ? stored : null;
  } catch {
    return fromHash && TOKEN_PATTERN.test(fromHash) ? fromHash : null;
  }
}

/**
 * Removes the token from the address bar: a moderator link on screen would hand moderator
 * rights to anyone watching a shared screen or the browser history.
 */
export function hideTokenFromAddress(): void {
  if (!window.location.hash) return;
  const url = new URL(window.location.href);
  url.hash = '';
  window.history.replaceState(window.history.state, '', url.pathname + url.search);
}
