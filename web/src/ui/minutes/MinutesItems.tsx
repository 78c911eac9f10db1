import { useState } from 'react';
import type { MinutesItem } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { Icon } from '../Icons.tsx';
import { ItemForm } from './ItemForm.tsx';
import type { ItemDraft } from './ItemForm.tsx';

/** What editors can do to an item; each rejects with the message to show. */
export interface ItemCommands {
  save: (item: MinutesItem, draft: ItemDraft) => Promise<void>;
  setDone: (item: MinutesItem, done: boolean) => Promise<void>;
  remove: (item: MinutesItem) => Promise<void>;
}

/** `YYYY-MM-DD` as a date in the reader's language (a calendar day: no time zone shift). */
export function formatDay(day: string, lang: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/**
 * The decisions and action items, oldest first: kind, text, owner and due date, done or
 * not. Editors (`commands` given) tick items done, edit one in place and remove it.
 */
export function MinutesItems({
  items,
  commands,
  onError,
}: {
  items: readonly MinutesItem[];
  commands: ItemCommands | null;
  onError: (message: string | null) => void;
}) {
  const { t, lang } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  // Ticks shown at once, until the server's answer (or refusal) settles them.
  const [ticking, setTicking] = useState<ReadonlyMap<string, boolean>>(() => new Map());
  if (items.length === 0) return <p className="minutes__empty">{t('minutes.items.empty')}</p>;
  const run = (action: Promise<void>) => {
    onError(null);
    action.catch((failure: unknown) => {
      onError(failure instanceof Error ? failure.message : String(failure));
    });
  };
  return (
    <ul className="minutes-items" aria-label={t('minutes.items.heading')}>
      {items.map((item) => {
        const kind = t(item.kind === 'action' ? 'minutes.kind.action' : 'minutes.kind.decision');
        if (commands && editing === item.id) {
          return (
            <li key={item.id} className="minutes-items__item minutes-items__item--editing">
              <ItemForm
                item={item}
                onSubmit={async (draft) => {
                  await commands.save(item, draft);
                  setEditing(null);
                }}
                onCancel={() => {
                  setEditing(null);
                }}
              />
            </li>
          );
        }
        return (
          <li
            key={item.id}
            className={`minutes-items__item${item.done ? ' is-done' : ''}`}
            data-kind={item.kind}
          >
            <div className="minutes-items__head">
              <span className={`minutes-kind minutes-kind--${item.kind}`}>{kind}</span>
              {item.room !== undefined && (
                <span className="minutes-items__room">
                  {t('minutes.items.room', { room: item.room })}
                </span>
              )}
              {item.done && <span className="pill pill--success">{t('minutes.items.done')}</span>}
            </div>
            <p className="minutes-items__text">{item.text}</p>
            {(item.owner !== undefined || item.due !== undefined) && (
              <ul className="minutes-items__facts">
                {item.owner !== undefined && (
                  <li>
                    <Icon name="user" />
                    {t('minutes.items.owner', { owner: item.owner })}
                  </li>
                )}
                {item.due !== undefined && (
                  <li>
                    <Icon name="clock" />
                    {t('minutes.items.due', { date: formatDay(item.due, lang) })}
                  </li>
                )}
              </ul>
            )}
            {commands && (
              <div className="minutes-items__actions">
                {item.kind === 'action' && (
                  <label className="checkbox minutes-items__done">
                    <input
                      type="checkbox"
                      checked={ticking.get(item.id) ?? item.done}
                      onChange={(event) => {
                        const done = event.target.checked;
                        setTicking((map) => new Map(map).set(item.id, done));
                        run(
                          commands.setDone(item, done).finally(() => {
                            setTicking((map) => {
                              const next = new Map(map);
                              next.delete(item.id);
                              return next;
                            });
                          }),
                        );
                      }}
                    />
                    <span>{t('minutes.items.markDone')}</span>
                  </label>
                )}
                <button
                  type="button"
                  className="button button--small button--secondary"
                  aria-label={t('minutes.items.editLabel', { kind, text: item.text })}
                  onClick={() => {
                    onError(null);
                    setEditing(item.id);
                  }}
                >
                  <Icon name="pen" />
                  {t('minutes.items.edit')}
                </button>
                <button
                  type="button"
                  className="button button--small button--danger-outline"
                  aria-label={t('minutes.items.removeLabel', { kind, text: item.text })}
                  onClick={() => {
                    run(commands.remove(item));
                  }}
                >
                  <Icon name="trash" />
                  {t('minutes.items.remove')}
                </button>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
