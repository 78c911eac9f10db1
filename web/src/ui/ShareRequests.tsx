import { useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import type { ModerationDesk } from '../media/ModerationDesk.ts';
import { apiErrorKey } from './errorMessage.ts';
import { Icon } from './Icons.tsx';

/**
 * For moderators: "X asks to share their screen" with Allow and Decline, one banner per
 * open request (oldest first). Allowing grants the right (the server records it); declining
 * only clears the notice here.
 */
export function ShareRequests({
  desk,
  nameOf,
  present,
  onError,
}: {
  desk: ModerationDesk;
  nameOf: (participantId: string) => string;
  /** Whether a request still needs an answer (the person is here and may not share yet). */
  present: (participantId: string) => boolean;
  onError: (message: string) => void;
}) {
  const { t } = useI18n();
  const snap = useSyncExternalStore(desk.subscribe, desk.getSnapshot);
  return (
    <>
      {snap.shareRequests.filter(present).map((participantId) => {
        const name = nameOf(participantId);
        return (
          <div key={participantId} className="banner banner--info" role="status">
            <Icon name="screen" />
            <span>{t('share.request.notice', { name })}</span>
            <button
              type="button"
              className="button button--small button--primary"
              aria-label={t('share.request.allowLabel', { name })}
              onClick={() => {
                desk.allowShare(participantId, true).catch((failure: unknown) => {
                  onError(t(apiErrorKey(failure)));
                });
              }}
            >
              {t('share.request.allow')}
            </button>
            <button
              type="button"
              className="button button--small button--secondary"
              aria-label={t('share.request.declineLabel', { name })}
              onClick={() => {
                desk.dismissShareRequest(participantId);
              }}
            >
              {t('share.request.decline')}
            </button>
          </div>
        );
      })}
    </>
  );
}
