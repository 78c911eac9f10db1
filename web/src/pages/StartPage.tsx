import { useEffect } from 'react';
import { hasRole, useAuth } from '../auth/session.ts';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { Icon } from '../ui/Icons.tsx';
import type { IconName } from '../ui/Icons.tsx';
import { AccountCard } from './start/AccountCard.tsx';
import { CreateMeetingCard } from './start/CreateMeetingCard.tsx';

const TRUST_POINTS: { icon: IconName; title: MessageKey; text: MessageKey }[] = [
  { icon: 'server', title: 'start.trust.selfHosted.title', text: 'start.trust.selfHosted.text' },
  { icon: 'lock', title: 'start.trust.encrypted.title', text: 'start.trust.encrypted.text' },
  {
    icon: 'noTracking',
    title: 'start.trust.noThirdParties.title',
    text: 'start.trust.noThirdParties.text',
  },
];

/**
 * `/`: what Konvent is, and for signed-in organisers a form that creates a meeting.
 * Everyone else is offered the sign-in; meeting links work without an account.
 */
export function StartPage() {
  const { t } = useI18n();
  const auth = useAuth();

  useEffect(() => {
    document.title = t('app.name');
  }, [t]);

  const organiser =
    auth.status === 'signedIn' &&
    auth.session.stage === 'full' &&
    hasRole(auth.session, 'organiser');
  return (
    <div className="page page--light">
      <SkipLink />
      <AppHeader />
      <main id="main" className="start">
        <section className="start__intro" aria-labelledby="start-heading">
          <h1 id="start-heading" className="start__heading">
            {t('start.heading')}
          </h1>
          <p className="start__lead">{t('start.lead')}</p>
        </section>
        <ul className="trust-list start__trust">
          {TRUST_POINTS.map((point) => (
            <li key={point.title} className="trust-list__item">
              <span className="trust-list__icon">
                <Icon name={point.icon} />
              </span>
              <span>
                <strong className="trust-list__title">{t(point.title)}</strong>
                <span className="trust-list__text">{t(point.text)}</span>
              </span>
            </li>
          ))}
        </ul>
        {auth.status === 'loading' ? (
          <section className="card start__card start__card--loading" aria-busy="true">
            <p className="inline-loading" role="status">
              <span className="spinner" aria-hidden="true" />
              {t('app.loading')}
            </p>
          </section>
        ) : organiser ? (
          <CreateMeetingCard />
        ) : (
          <AccountCard auth={auth} />
        )}
      </main>
      <AppFooter />
    </div>
  );
}
