import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { navigate } from '../routing.ts';
import { AccountMenu } from './AccountMenu.tsx';
import { LanguageSelect } from './LanguageSelect.tsx';
import { LogoMark } from './Logo.tsx';

/**
 * The light page header: logo and name (a link home), optional middle content, the
 * account menu and the language switcher.
 */
export function AppHeader({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <header className="app-header">
      <a
        className="brand"
        href="/"
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          navigate('/');
        }}
      >
        <LogoMark />
        <span className="brand__text">
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__tagline">{t('app.tagline')}</span>
        </span>
      </a>
      <div className="app-header__middle">{children}</div>
      <AccountMenu />
      <LanguageSelect />
    </header>
  );
}

/** The link that lets keyboard users jump past the header. */
export function SkipLink() {
  const { t } = useI18n();
  return (
    <a className="skip-link" href="#main">
      {t('app.skipToContent')}
    </a>
  );
}

/** The shared footer of the light pages. */
export function AppFooter() {
  const { t } = useI18n();
  return (
    <footer className="app-footer">
      <p>{t('app.footer')}</p>
    </footer>
  );
}
