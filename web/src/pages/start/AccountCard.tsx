import type { MouseEvent } from 'react';
import type { AuthState } from '../../auth/AuthStore.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { navigate } from '../../routing.ts';
import { Icon } from '../../ui/Icons.tsx';
import { Notice } from '../../ui/Notice.tsx';

function goToLogin(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate('/login');
}

/**
 * The start page's card for everyone who cannot create a meeting right now: signed out
 * ("Sign in"), half signed in ("Finish signing in"), or signed in without the organiser
 * role. It reminds them that a meeting link works without an account.
 */
export function AccountCard({ auth }: { auth: Exclude<AuthState, { status: 'loading' }> }) {
  const { t } = useI18n();
  let heading: MessageKey = 'start.signIn.heading';
  let text: MessageKey = 'start.signIn.text';
  let action: MessageKey | null = 'start.signIn.action';
  if (auth.status === 'signedIn' && auth.session.stage !== 'full') {
    heading = 'start.pending.heading';
    text = 'start.pending.text';
    action = 'start.pending.action';
  } else if (auth.status === 'signedIn') {
    heading = 'start.notOrganiser.heading';
    text = 'start.notOrganiser.text';
    action = null;
  }
  return (
    <section className="card start__card" aria-labelledby="account-card-heading">
      <h2 id="account-card-heading" className="card__title">
        <Icon name={auth.status === 'signedIn' ? 'info' : 'lock'} />
        {t(heading)}
      </h2>
      {auth.status === 'signedOut' && auth.notice === 'sessionEnded' && (
        <Notice tone="warning">{t('login.sessionEnded')}</Notice>
      )}
      <p className="card__text">{t(text)}</p>
      {action !== null && (
        <a className="button button--primary button--block" href="/login" onClick={goToLogin}>
          {t(action)}
        </a>
      )}
      <p className="start__guest-note">
        <Icon name="users" />
        {t('start.guestNote')}
      </p>
    </section>
  );
}
