import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import type { LocalMedia } from '../media/LocalMedia.ts';
import type { MeetingClient } from '../media/MeetingClient.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { ConnectionBanner } from '../ui/ConnectionBanner.tsx';
import { Icon } from '../ui/Icons.tsx';
import { DeviceCheck } from './prejoin/DeviceCheck.tsx';
import type { Joined } from './PreJoinPage.tsx';

/**
 * The waiting page for someone in the lobby: who they are, that a moderator has been asked
 * to let them in, the moderators' message (live, as plain text), their devices (to check or
 * switch off while waiting; nothing is sent) and a Leave button. When a moderator admits
 * them, the same client enters the meeting and the flow shows the meeting page.
 */
export function LobbyPage({
  client,
  localMedia,
  joined,
}: {
  client: MeetingClient;
  localMedia: LocalMedia;
  joined: Joined;
}) {
  const { t } = useI18n();
  const snap = useSyncExternalStore(client.subscribe, client.getSnapshot);
  const heading = useRef<HTMLHeadingElement>(null);
  const lobby = snap.lobby;
  const admitted = lobby?.admitted === true;
  const message = lobby?.message ?? null;
  const title = joined.title || t('prejoin.untitled');

  useEffect(() => {
    // A tab in the background shows in its title that it is waiting, or that it is let in.
    const state = t(admitted ? 'lobby.wait.admittedTitle' : 'lobby.wait.pageTitle');
    document.title = `${state} – ${title} – ${t('app.name')}`;
  }, [admitted, title, t]);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <div className="page page--light">
      <SkipLink />
      <AppHeader />
      <ConnectionBanner
        status={snap.status}
        attempt={snap.attempt}
        maxAttempts={snap.maxAttempts}
        onRetry={() => {
          client.retry();
        }}
      />
      <main id="main" className="prejoin lobby-wait">
        <DeviceCheck localMedia={localMedia} name={joined.displayName} />
        <section className="card prejoin__card" aria-labelledby="lobby-wait-title">
          <p className="eyebrow">{t('lobby.wait.eyebrow')}</p>
          <h1 id="lobby-wait-title" className="prejoin__title" tabIndex={-1} ref={heading}>
            {title}
          </h1>
          <p className="prejoin__role">
            <Icon name="user" />
            {t('lobby.wait.as', { name: joined.displayName })}
          </p>
          <div
            className={`lobby-wait__status${admitted ? ' lobby-wait__status--admitted' : ''}`}
            role="status"
          >
            {admitted ? (
              <Icon name="check" />
            ) : (
              <span className="spinner lobby-wait__spinner" aria-hidden="true" />
            )}
            <span>
              <strong className="lobby-wait__status-title">
                {t(admitted ? 'lobby.wait.admitted' : 'lobby.wait.asked')}
              </strong>
              <span className="lobby-wait__status-text">
                {t(admitted ? 'lobby.wait.entering' : 'lobby.wait.keepOpen')}
              </span>
            </span>
          </div>
          {/* Live: a moderator may change it at any time; read out politely when it does. */}
          <div className="lobby-wait__message" aria-live="polite">
            {message !== null && message !== '' && (
              <figure className="lobby-message">
                <figcaption className="lobby-message__caption">
                  <Icon name="chat" />
                  {t('lobby.wait.messageFrom')}
                </figcaption>
                <blockquote className="lobby-message__text">{message}</blockquote>
              </figure>
            )}
          </div>
          <p className="lobby-wait__devices">{t('lobby.wait.devices')}</p>
          <div className="button-row">
            <button
              type="button"
              className="button button--danger-outline"
              onClick={() => {
                void client.leave();
              }}
            >
              <Icon name="leave" />
              {t('lobby.wait.leave')}
            </button>
          </div>
        </section>
      </main>
      <AppFooter />
    </div>
  );
}
