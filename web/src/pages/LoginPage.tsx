import { useEffect, useState } from 'react';
import { authStore, signOutAndLeave, useAuth } from '../auth/session.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { navigate, nextPath } from '../routing.ts';
import { AuthLayout } from './auth/AuthLayout.tsx';
import { EnrolPanel } from './auth/EnrolPanel.tsx';
import { MfaPrompt } from './auth/MfaPrompt.tsx';
import { PasswordSignIn } from './auth/PasswordSignIn.tsx';
import { RecoveryCodes } from './auth/RecoveryCodes.tsx';

/**
 * `/login`: user name and password (or an identity provider), then whatever the session's
 * stage asks for: the second factor, or setting one up (with the recovery codes shown once).
 * A complete session goes on to `?next=` (a path of this app) or home. Other pages that
 * end in a half-finished session (the one-time links) send the user here to finish.
 */
export function LoginPage() {
  const { t } = useI18n();
  const auth = useAuth();
  // Recovery codes to show before leaving: the session is already complete by then.
  const [codes, setCodes] = useState<readonly string[] | null>(null);
  const complete = auth.status === 'signedIn' && auth.session.stage === 'full';

  useEffect(() => {
    if (complete && codes === null) navigate(nextPath(), { replace: true });
  }, [complete, codes]);

  const cancel = () => {
    void signOutAndLeave();
  };

  if (codes !== null) {
    return (
      <AuthLayout pageTitle={t('recovery.heading')} wide>
        <RecoveryCodes
          codes={codes}
          onDone={() => {
            setCodes(null);
          }}
        />
      </AuthLayout>
    );
  }
  if (auth.status === 'loading' || complete) {
    return (
      <AuthLayout pageTitle={t('login.pageTitle')}>
        <p className="inline-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('app.loading')}
        </p>
      </AuthLayout>
    );
  }
  if (auth.status === 'signedOut') {
    return (
      <AuthLayout pageTitle={t('login.pageTitle')}>
        <PasswordSignIn
          notice={auth.notice}
          onSession={(session) => {
            authStore.accept(session);
          }}
        />
      </AuthLayout>
    );
  }
  if (auth.session.stage === 'mfa') {
    return (
      <AuthLayout pageTitle={t('mfa.heading')}>
        <MfaPrompt
          methods={auth.session.methods}
          onSession={(session) => {
            authStore.accept(session);
          }}
          onCancel={cancel}
        />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout pageTitle={t('enrol.heading')} wide>
      <EnrolPanel
        onEnrolled={(recoveryCodes, session) => {
          if (recoveryCodes !== null && recoveryCodes.length > 0) setCodes(recoveryCodes);
          authStore.accept(session);
        }}
        onCancel={cancel}
      />
    </AuthLayout>
  );
}
