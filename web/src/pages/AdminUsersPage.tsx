import { useEffect } from 'react';
import { hasRole } from '../auth/session.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { Notice } from '../ui/Notice.tsx';
import { SignInRequired } from '../ui/SignInRequired.tsx';
import { UsersAdmin } from './admin/UsersAdmin.tsx';
import '../styles/auth.css';

/** `/admin/users`: user management for administrators. */
export function AdminUsersPage() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t('admin.pageTitle')} · ${t('app.name')}`;
  }, [t]);
  return (
    <div className="page page--light page--console">
      <SkipLink />
      <AppHeader />
      <main id="main" className="console console--wide">
        <div className="console__intro">
          <p className="eyebrow">{t('admin.eyebrow')}</p>
          <h1 className="console__heading">{t('admin.heading')}</h1>
          <p className="console__lead">{t('admin.lead')}</p>
        </div>
        <SignInRequired>
          {(session) =>
            hasRole(session, 'admin') ? (
              <UsersAdmin session={session} />
            ) : (
              <Notice tone="error">{t('apiError.forbidden')}</Notice>
            )
          }
        </SignInRequired>
      </main>
      <AppFooter />
    </div>
  );
}
