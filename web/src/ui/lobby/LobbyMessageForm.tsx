import { useId, useState } from 'react';
import { MAX_LOBBY_MESSAGE } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { apiErrorKey } from '../errorMessage.ts';
import { Notice } from '../Notice.tsx';

/**
 * The message everyone in the lobby sees at once (e.g. "We start at 10:05"): what is shown
 * now, a field to change it and a button to remove it.
 */
export function LobbyMessageForm({
  current,
  onSave,
}: {
  current: string;
  onSave: (text: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const id = useId();
  // Empty: what is shown now stands above; a new message is typed fresh.
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const save = (text: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    onSave(text).then(
      () => {
        setBusy(false);
        setDraft('');
        setAnnouncement(t(text === '' ? 'lobby.message.cleared' : 'lobby.message.saved'));
      },
      (failure: unknown) => {
        setBusy(false);
        setError(t(apiErrorKey(failure)));
      },
    );
  };

  const trimmed = draft.trim();
  return (
    <section className="lobby-section" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className="lobby-section__title">
        {t('lobby.message.heading')}
      </h3>
      <p className="lobby-section__current">
        {current === '' ? (
          t('lobby.message.none')
        ) : (
          <>
            <span className="lobby-section__current-label">{t('lobby.message.shown')}</span>
            <span className="lobby-section__current-text">{current}</span>
          </>
        )}
      </p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (trimmed !== '' && trimmed !== current) save(trimmed);
        }}
      >
        <label htmlFor={`${id}-text`} className="field-label field-label--small">
          {t('lobby.message.label')}
        </label>
        <p id={`${id}-hint`} className="field-hint field-hint--small">
          {t('lobby.message.hint')}
        </p>
        <textarea
          id={`${id}-text`}
          className="input lobby-section__textarea"
          rows={2}
          value={draft}
          maxLength={MAX_LOBBY_MESSAGE}
          aria-describedby={`${id}-hint ${id}-count`}
          onChange={(event) => {
            setDraft(event.target.value);
          }}
        />
        <p id={`${id}-count`} className="field-hint field-hint--small">
          {t('reports.dialog.left', { count: MAX_LOBBY_MESSAGE - draft.length })}
        </p>
        {error !== null && <Notice tone="error">{error}</Notice>}
        <div className="lobby-section__buttons">
          <button
            type="submit"
            className="button button--small button--primary"
            disabled={trimmed === current || trimmed === ''}
            aria-disabled={busy}
          >
            {t('lobby.message.save')}
          </button>
          {current !== '' && (
            <button
              type="button"
              className="button button--small button--secondary"
              onClick={() => {
                save('');
              }}
            >
              {t('lobby.message.clear')}
            </button>
          )}
        </div>
      </form>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </section>
  );
}
