import { useRef, useState } from 'react';
import type { Arrival, LobbyEntry } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import type { LobbySelection } from '../../media/ModerationDesk.ts';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { apiErrorKey } from '../errorMessage.ts';
import { Icon } from '../Icons.tsx';
import { avatarSlot, initials } from '../initials.ts';
import { Notice } from '../Notice.tsx';
import { useNow } from '../useNow.ts';

const ARRIVALS: Record<Arrival, MessageKey> = {
  link: 'lobby.arrival.link',
  account: 'lobby.arrival.account',
  invitation: 'lobby.arrival.invitation',
};

const MINUTE_MS = 60_000;

/**
 * Who waits in the lobby, oldest first: name (as text), how they came and how long they have
 * waited, with Admit and Deny each; Admit all and Deny all when several wait (denying all
 * asks first). After a decision focus moves to the next person, or to the heading.
 */
export function LobbyQueue({
  waiting,
  onAdmit,
  onDeny,
}: {
  waiting: readonly LobbyEntry[];
  onAdmit: (selection: LobbySelection) => Promise<string[]>;
  onDeny: (selection: LobbySelection) => Promise<string[]>;
}) {
  const { t } = useI18n();
  const now = useNow(30_000);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [confirmDenyAll, setConfirmDenyAll] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  /** After a row goes away: the next row's Admit button, else the heading. */
  const refocus = (index: number) => {
    requestAnimationFrame(() => {
      const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('.lobby-entry__admit');
      const next = buttons?.[Math.min(index, buttons.length - 1)];
      (next ?? headingRef.current)?.focus();
    });
  };

  const decide = (
    command: (selection: LobbySelection) => Promise<string[]>,
    selection: LobbySelection,
    done: string,
    index: number,
  ): Promise<void> => {
    setError(null);
    return command(selection).then(
      () => {
        setAnnouncement(done);
        refocus(index);
      },
      (failure: unknown) => {
        setError(t(apiErrorKey(failure)));
      },
    );
  };

  const waitedFor = (entry: LobbyEntry): string => {
    const minutes = Math.floor((now - Date.parse(entry.waitingSince)) / MINUTE_MS);
    return minutes < 1 ? t('lobby.queue.justNow') : t('lobby.queue.minutes', { minutes });
  };

  return (
    <section className="lobby-section" aria-labelledby="lobby-queue-heading">
      <div className="lobby-section__head">
        <h3
          id="lobby-queue-heading"
          className="lobby-section__title"
          tabIndex={-1}
          ref={headingRef}
        >
          {t('lobby.queue.heading', { count: waiting.length })}
        </h3>
        {waiting.length > 1 && (
          <span className="lobby-section__actions">
            <button
              type="button"
              className="button button--small button--primary"
              onClick={() => {
                void decide(onAdmit, { all: true }, t('lobby.queue.admittedAll'), 0);
              }}
            >
              {t('lobby.queue.admitAll')}
            </button>
            <button
              type="button"
              className="button button--small button--danger-outline"
              aria-haspopup="dialog"
              onClick={() => {
                setConfirmDenyAll(true);
              }}
            >
              {t('lobby.queue.denyAll')}
            </button>
          </span>
        )}
      </div>
      {error !== null && <Notice tone="error">{error}</Notice>}
      {waiting.length === 0 ? (
        <p className="lobby-section__empty">{t('lobby.queue.empty')}</p>
      ) : (
        <ul ref={listRef} className="lobby-queue" aria-labelledby="lobby-queue-heading">
          {waiting.map((entry, index) => (
            <li key={entry.id} className="lobby-entry">
              <span
                className={`avatar avatar--small avatar--c${avatarSlot(entry.id)}`}
                aria-hidden="true"
              >
                {initials(entry.displayName)}
              </span>
              <span className="lobby-entry__text">
                <span className="lobby-entry__name">{entry.displayName}</span>
                <span className="lobby-entry__meta">
                  <span className={`lobby-entry__arrival lobby-entry__arrival--${entry.arrival}`}>
                    {t(ARRIVALS[entry.arrival])}
                  </span>
                  {` · ${waitedFor(entry)}`}
                </span>
              </span>
              <span className="lobby-entry__actions">
                <button
                  type="button"
                  className="button button--small button--primary lobby-entry__admit"
                  aria-label={t('lobby.queue.admitName', { name: entry.displayName })}
                  onClick={() => {
                    void decide(
                      onAdmit,
                      { participantIds: [entry.id] },
                      t('lobby.queue.admitted', { name: entry.displayName }),
                      index,
                    );
                  }}
                >
                  <Icon name="check" />
                  {t('lobby.queue.admit')}
                </button>
                <button
                  type="button"
                  className="button button--small button--danger-outline"
                  aria-label={t('lobby.queue.denyName', { name: entry.displayName })}
                  onClick={() => {
                    void decide(
                      onDeny,
                      { participantIds: [entry.id] },
                      t('lobby.queue.denied', { name: entry.displayName }),
                      index,
                    );
                  }}
                >
                  {t('lobby.queue.deny')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <ConfirmDialog
        open={confirmDenyAll}
        title={t('lobby.queue.denyAllTitle', { count: waiting.length })}
        text={t('lobby.queue.denyAllText')}
        confirmLabel={t('lobby.queue.denyAll')}
        cancelLabel={t('common.cancel')}
        onCancel={() => {
          setConfirmDenyAll(false);
        }}
        onConfirm={() => {
          setConfirmDenyAll(false);
          void decide(onDeny, { all: true }, t('lobby.queue.deniedAll'), 0);
        }}
      />
    </section>
  );
}
