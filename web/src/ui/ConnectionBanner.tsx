import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import type { ConnectionStatus } from '../media/meetingState.ts';
import { Icon } from './Icons.tsx';

/**
 * Tells people when the connection dropped, while it reconnects, when it gave up (with a
 * retry button) and, briefly, when it is back.
 */
export function ConnectionBanner({
  status,
  attempt,
  maxAttempts,
  onRetry,
}: {
  status: ConnectionStatus;
  attempt: number;
  maxAttempts: number;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  const [restored, setRestored] = useState(false);
  const previous = useRef(status);

  useEffect(() => {
    const was = previous.current;
    previous.current = status;
    if (status !== 'connected' || (was !== 'reconnecting' && was !== 'failed')) return;
    setRestored(true);
    const timer = setTimeout(() => {
      setRestored(false);
    }, 4000);
    return () => {
      clearTimeout(timer);
    };
  }, [status]);

  if (status === 'reconnecting') {
    return (
      <div className="banner banner--warning" role="status">
        <span className="spinner" aria-hidden="true" />
        <span>{t('connection.lost', { attempt: Math.max(1, attempt), max: maxAttempts })}</span>
      </div>
    );
  }
  if (status === 'failed') {
    return (
      <div className="banner banner--error" role="alert">
        <Icon name="alert" />
        <span>{t('connection.failed')}</span>
        <button type="button" className="button button--small button--secondary" onClick={onRetry}>
          {t('connection.retry')}
        </button>
      </div>
    );
  }
  if (restored && status === 'connected') {
    return (
      <div className="banner banner--success" role="status">
        <Icon name="check" />
        <span>{t('connection.restored')}</span>
      </div>
    );
  }
  return null;
}
