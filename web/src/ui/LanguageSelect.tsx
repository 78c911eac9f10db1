import { useId } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { LANGUAGES } from '../i18n/language.ts';
import type { Language } from '../i18n/language.ts';
import { Icon } from './Icons.tsx';

/** The language switcher ("Language" / "Sprache"); the choice is remembered. */
export function LanguageSelect({ tone = 'light' }: { tone?: 'light' | 'dark' }) {
  const { lang, setLang, t } = useI18n();
  const id = useId();
  return (
    <div className={`lang-select lang-select--${tone}`}>
      <label htmlFor={id} className="visually-hidden">
        {t('lang.label')}
      </label>
      <Icon name="globe" className="lang-select__icon" />
      <select
        id={id}
        value={lang}
        onChange={(event) => {
          setLang(event.target.value as Language);
        }}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(code === 'de' ? 'lang.de' : 'lang.en')}
          </option>
        ))}
      </select>
    </div>
  );
}
