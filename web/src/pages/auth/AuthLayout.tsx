import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/I18n.tsx';
import { AppFooter, AppHeader, SkipLink } from '../../ui/AppHeader.tsx';
import '../../styles/auth.css';

/** The frame of the sign-in pages: header, one narrow card in the middle, footer. */
export function AuthLayout({
  pageTitle,
  children,
  wide = false,
}: {
  pageTitle: string;
  children: ReactNode;
  /** Wider card, for steps with a QR code or a list of codes. */
  wide?: boolean;
}) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${pageTitle} · ${t('app.name')}`;
  }, [pageTitle, t]);
  return (
    <div className="page page--light page--auth">
      <SkipLink />
      <AppHeader />
      <main id="main" className="auth">
        <div className={wide ? 'card auth__card auth__card--wide' : 'card auth__card'}>
          {children}
        </div>
      </main>
      <AppFooter />
    </div>
  );
}
