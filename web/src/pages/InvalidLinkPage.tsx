import { useEffect } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { navigate } from '../routing.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { Icon } from '../ui/Icons.tsx';

/**
 * Shown for a wrong, unknown or expired meeting link. It says the same thing in every case
 * so a guesser cannot tell which meetings exist.
 */
export function InvalidLinkPage() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t('error.invalidLink')} – ${t('app.name')}`;
  }, [t]);
  return (
    <div className="page page--light">
      <SkipLink />
      <AppHeader />
      <main id="main" className="message-page">
        <div className="card message-card" role="alert">
          <span className="message-card__icon message-card__icon--warning">
            <Icon name="alert" />
          </span>
          <h1 className="message-card__title">{t('error.invalidLink')}</h1>
          <p className="message-card__text">{t('error.invalidLinkHint')}</p>
          <div className="button-row button-row--center">
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                navigate('/');
              }}
            >
              {t('common.home')}
            </button>
          </div>
        </div>
      </main>
      <AppFooter />
    </div>
  );
}
