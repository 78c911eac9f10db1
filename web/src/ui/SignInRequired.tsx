import type { MouseEvent, ReactNode } from 'react';
import type { SessionReply } from '@konvent/protocol';
import { useAuth } from '../auth/session.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { loginPath, navigate } from '../routing.ts';
import { Icon } from './Icons.tsx';
import { Notice } from './Notice.tsx';

/**
 * Renders its children with the complete session, or, without one, a card that asks to
 * sign in (and says so when the session just ended, e.g. after the account was disabled
 * or signed out elsewhere). Signing in comes back to this page. `heading` and `text`
 * replace the general wording where the page can say why (a moderator link).
 */
export function SignInRequired({
  children,
  heading,
  text,
}: {
  children: (session: SessionReply) => ReactNode;
  heading?: string;
  text?: string;
}) {
  const { t } = useI18n();
  const auth = useAuth();

  if (auth.status === 'loading') {
    return (
      <p className="inline-loading" role="status">
        <span className="spinner" aria-hidden="true" />
        {t('app.loading')}
      </p>
    );
  }
  if (auth.status === 'signedIn' && auth.session.stage === 'full') return children(auth.session);
  const to = loginPath();
  return (
    <section className="card signin-required" aria-labelledby="signin-required-heading">
      <h2 id="signin-required-heading" className="card__title">
        <Icon name="lock" />
        {heading ?? t('signInRequired.heading')}
      </h2>
      {auth.status === 'signedOut' && auth.notice === 'sessionEnded' && (
        <Notice tone="warning">{t('login.sessionEnded')}</Notice>
      )}
      <p className="card__text">{text ?? t('signInRequired.text')}</p>
      <a
        className="button button--primary"
        href={to}
        onClick={(event: MouseEvent<HTMLAnchorElement>) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          navigate(to);
        }}
      >
        {t('nav.signIn')}
      </a>
    </section>
  );
}
