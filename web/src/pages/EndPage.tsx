import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import type { EndReason } from '../media/MeetingClient.ts';
import { navigate } from '../routing.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { Icon } from '../ui/Icons.tsx';

const TEXTS: Record<EndReason, { heading: MessageKey; text: MessageKey }> = {
  left: { heading: 'left.heading', text: 'left.text' },
  expired: { heading: 'left.heading', text: 'left.expired' },
  ended: { heading: 'ended.heading', text: 'ended.text' },
  replaced: { heading: 'left.heading', text: 'ended.replaced' },
  removed: { heading: 'left.heading', text: 'ended.removed' },
  signedOut: { heading: 'left.signedOut', text: 'left.signedOutText' },
};

/** After the meeting: "You have left the meeting" (with rejoin) or "The meeting has ended". */
export function EndPage({ reason, onRejoin }: { reason: EndReason; onRejoin: () => void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const texts = TEXTS[reason];

  useEffect(() => {
    document.title = `${t(texts.heading)} – ${t('app.name')}`;
  }, [t, texts]);

  useEffect(() => {
    heading.current?.focus();
  }, [reason]);

  return (
    <div className="page page--light">
      <SkipLink />
      <AppHeader />
      <main id="main" className="message-page">
        <div className="card message-card">
          <span
            className={`message-card__icon ${reason === 'ended' ? 'message-card__icon--neutral' : ''}`}
          >
            <Icon name={reason === 'ended' ? 'power' : 'leave'} />
          </span>
          <h1 className="message-card__title" tabIndex={-1} ref={heading}>
            {t(texts.heading)}
          </h1>
          <p className="message-card__text">{t(texts.text)}</p>
          <div className="button-row button-row--center">
            {reason !== 'ended' && (
              <button type="button" className="button button--primary" onClick={onRejoin}>
                {t('left.rejoin')}
              </button>
            )}
            <button
              type="button"
              className={reason === 'ended' ? 'button button--primary' : 'button button--secondary'}
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
