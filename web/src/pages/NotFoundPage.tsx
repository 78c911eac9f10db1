import { useEffect } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { navigate } from '../routing.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { Icon } from '../ui/Icons.tsx';

/** Any address the app does not know. */
export function NotFoundPage() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t('notFound.heading')} – ${t('app.name')}`;
  }, [t]);
  return (
    <div className="page page--light">
      <SkipLink />
      <AppHeader />
      <main id="main" className="message-page">
        <div className="card message-card">
          <span className="message-card__icon message-card__icon--neutral">
            <Icon name="info" />
          </span>
          <h1 className="message-card__title">{t('notFound.heading')}</h1>
          <p className="message-card__text">{t('notFound.text')}</p>
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
