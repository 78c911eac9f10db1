import { useId, useState, useSyncExternalStore } from 'react';
import { useAuth } from '../../auth/session.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MinutesStore } from '../../media/MinutesStore.ts';
import { apiErrorKey } from '../errorMessage.ts';
import { Icon } from '../Icons.tsx';
import { Notice } from '../Notice.tsx';
import { ExportLinks } from './ExportLinks.tsx';
import { ItemForm } from './ItemForm.tsx';
import type { ItemDraft } from './ItemForm.tsx';
import { MinutesItems } from './MinutesItems.tsx';
import type { ItemCommands } from './MinutesItems.tsx';
import { NotesEditor } from './NotesEditor.tsx';

/** The id of the notes field (tests and the "minutes" notice focus it). */
export const MINUTES_NOTES_ID = 'minutes-notes';

/**
 * The minutes side panel: who takes them, the shared notes (editable by moderators and
 * minute-takers, read-only for everyone else), the decisions and action items with add,
 * edit, done and remove for editors, and the Markdown and PDF export.
 */
export function MinutesPanel({
  store,
  meetingId,
  selfId,
  nameOf,
}: {
  store: MinutesStore;
  meetingId: string;
  selfId: string;
  nameOf: (participantId: string) => string;
}) {
  const { t } = useI18n();
  const auth = useAuth();
  const signedIn = auth.status === 'signedIn' && auth.session.stage === 'full';
  const id = useId();
  const minutes = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [itemError, setItemError] = useState<string | null>(null);

  if (!minutes.available) {
    return (
      <div className="side-panel__body minutes">
        <Notice tone="info">{t('minutes.unavailable')}</Notice>
      </div>
    );
  }

  /** Runs a request; a refusal becomes the message to show, in my language. */
  const attempt = async (action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
    } catch (failure) {
      throw new Error(t(apiErrorKey(failure)));
    }
  };
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const commands: ItemCommands | null = minutes.mayEdit
    ? {
        save: (item, draft) =>
          attempt(() =>
            store.updateItem(item.id, {
              text: draft.text.trim(),
              ...(item.kind === 'action'
                ? { owner: optional(draft.owner) ?? null, due: optional(draft.due) ?? null }
                : {}),
            }),
          ),
        setDone: (item, done) => attempt(() => store.updateItem(item.id, { done })),
        remove: (item) => attempt(() => store.removeItem(item.id)),
      }
    : null;
  const add = (draft: ItemDraft) => {
    const owner = optional(draft.owner);
    const due = optional(draft.due);
    return attempt(() =>
      store.addItem({
        kind: draft.kind,
        text: draft.text.trim(),
        ...(owner === undefined ? {} : { owner }),
        ...(due === undefined ? {} : { due }),
      }),
    );
  };

  const takers = [...minutes.takers];
  const iTake = minutes.takers.has(selfId);
  return (
    <div className="side-panel__body minutes">
      <div className="minutes__who">
        {iTake && (
          <span className="minutes-badge">
            <Icon name="pen" />
            {t('minutes.badge')}
          </span>
        )}
        <p className="side-panel__meta" id={`${id}-rights`}>
          {minutes.mayEdit
            ? t(iTake ? 'minutes.rights.taker' : 'minutes.rights.moderator')
            : t('minutes.rights.readOnly')}
        </p>
        <p className="side-panel__meta">
          {takers.length === 0
            ? t('minutes.takers.none')
            : t('minutes.takers.list', { names: takers.map(nameOf).join(', ') })}
        </p>
      </div>

      <section className="minutes__section" aria-labelledby={`${id}-notes`}>
        <h3 id={`${id}-notes`} className="minutes__heading">
          {t('minutes.notes.heading')}
        </h3>
        {minutes.refused !== null && (
          <div className="minutes__refused">
            <Notice tone="error">
              {t('minutes.notes.refused', { reason: t(apiErrorKey(minutes.refused)) })}
            </Notice>
            <button
              type="button"
              className="button button--small button--secondary"
              onClick={() => {
                store.dismissRefusal();
              }}
            >
              {t('common.close')}
            </button>
          </div>
        )}
        <NotesEditor
          id={MINUTES_NOTES_ID}
          doc={minutes.doc}
          readOnly={!minutes.mayEdit}
          label={t('minutes.notes.label')}
          describedBy={`${id}-rights`}
          placeholder={t(minutes.mayEdit ? 'minutes.notes.placeholder' : 'minutes.notes.empty')}
        />
      </section>

      <section className="minutes__section" aria-labelledby={`${id}-items`}>
        <h3 id={`${id}-items`} className="minutes__heading">
          {t('minutes.items.heading')}
        </h3>
        {itemError !== null && <Notice tone="error">{itemError}</Notice>}
        <MinutesItems items={minutes.items} commands={commands} onError={setItemError} />
        {minutes.mayEdit && <ItemForm onSubmit={add} />}
      </section>

      <ExportLinks
        meetingId={meetingId}
        {...(signedIn ? {} : { hint: t('minutes.export.guestHint') })}
      />
    </div>
  );
}
