import { useEffect } from 'react';
import type { PlatformRole } from '@konvent/protocol';
import { useAuth } from '../auth/session.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { SignInRequired } from '../ui/SignInRequired.tsx';
import { FactorsCard } from './account/FactorsCard.tsx';
import { PasswordCard } from './account/PasswordCard.tsx';
import { SessionsCard } from './account/SessionsCard.tsx';
import '../styles/auth.css';

/**
 * `/account`: one's own account. The sessions (end one, or all others), the second factors
 * (authenticator app, passkeys, recovery codes) and, for local accounts, the password.
 */
export function AccountPage() {
  const { t } = useI18n();
  const auth = useAuth();
  const account = auth.status === 'signedIn' ? auth.session.account : null;

  useEffect(() => {
    document.title = `${t('account.pageTitle')} · ${t('app.name')}`;
  }, [t]);

  const roleNames = (roles: readonly PlatformRole[]) =>
    roles.map((role) => t(`role.${role}`)).join(', ');
  return (
    <div className="page page--light page--console">
      <SkipLink />
      <AppHeader />
      <main id="main" className="console">
        <div className="console__intro">
          <p className="eyebrow">{t('account.eyebrow')}</p>
          <h1 className="console__heading">{t('account.heading')}</h1>
          {account !== null && (
            <p className="console__lead">
              {t('account.signedInAs', {
                name: account.displayName,
                username: account.username,
              })}
              {account.roles.length > 0 && (
                <span className="console__roles">
                  {t('account.roles', { roles: roleNames(account.roles) })}
                </span>
              )}
            </p>
          )}
        </div>
        <SignInRequired>
          {(session) => (
            <div className="console__grid">
              <FactorsCard session={session} />
              <SessionsCard />
              <PasswordCard session={session} />
            </div>
          )}
        </SignInRequired>
      </main>
      <AppFooter />
    </div>
  );
}
