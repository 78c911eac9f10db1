import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { de } from './de.ts';
import { en } from './en.ts';
import type { MessageKey, Messages } from './en.ts';
import { resolveLanguage, storeLanguage } from './language.ts';
import type { Language } from './language.ts';

const CATALOGUES: Record<Language, Messages> = { de, en };

/** Values for `{placeholder}`s in a message. */
export type MessageParams = Record<string, string | number>;

/** What components get from `useI18n()`. */
export interface I18n {
  lang: Language;
  setLang: (lang: Language) => void;
  t: (key: MessageKey, params?: MessageParams) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** Fills `{name}` placeholders; unknown placeholders stay visible so they get noticed. */
export function format(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** Provides the current language and the translate function to the whole app. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(resolveLanguage);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Language) => {
    storeLanguage(next);
    // Keep an explicit ?lang= in the address in step, otherwise a reload would switch back.
    const url = new URL(window.location.href);
    if (url.searchParams.has('lang')) {
      url.searchParams.set('lang', next);
      window.history.replaceState(window.history.state, '', url);
    }
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const catalogue = CATALOGUES[lang];
    return { lang, setLang, t: (key, params) => format(catalogue[key], params) };
  }, [lang, setLang]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

/** The current language and translate function. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n() used outside <I18nProvider>');
  return value;
}
