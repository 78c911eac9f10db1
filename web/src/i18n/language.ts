/** The languages the UI is available in. */
export type Language = 'de' | 'en';

/** All supported languages, in the order the language switcher lists them. */
export const LANGUAGES: readonly Language[] = ['de', 'en'];

const STORAGE_KEY = 'konvent.lang';

function isLanguage(value: unknown): value is Language {
  return value === 'de' || value === 'en';
}

/** Reads localStorage without failing where storage is blocked (privacy modes, sandboxing). */
function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The language to start with: `?lang=de|en` wins (so links and tests can pin it), then the
 * user's last choice, then the browser's preference (German when it starts with "de").
 */
export function resolveLanguage(): Language {
  const fromQuery = new URLSearchParams(window.location.search).get('lang');
  if (isLanguage(fromQuery)) {
    storeLanguage(fromQuery);
    return fromQuery;
  }
  const stored = readStored();
  if (isLanguage(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** Remembers the chosen language for the next visit. */
export function storeLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be unavailable; the choice then lasts for this page only.
  }
}
