import { useEffect, useId, useRef, useState } from 'react';
import type { SubmitEvent } from 'react';
import type { CreateMeetingReply } from '@konvent/protocol';
import { createMeeting } from '../../api/api.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { navigate } from '../../routing.ts';
import { CopyField } from '../../ui/CopyField.tsx';
import { apiErrorKey } from '../../ui/errorMessage.ts';
import { Icon } from '../../ui/Icons.tsx';

const TITLE_MAX = 200;

/** Opens a link of this deployment inside the app, or as a normal navigation otherwise. */
function openLink(link: string): void {
  const url = new URL(link, window.location.origin);
  if (url.origin === window.location.origin) navigate(url.pathname + url.search + url.hash);
  else window.location.assign(url.href);
}

/** The start page's card for organisers: a form that creates a meeting and shows its two links. */
export function CreateMeetingCard() {
  const { t } = useI18n();
  const titleId = useId();
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const [created, setCreated] = useState<CreateMeetingReply | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const titleInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Screen reader and keyboard users land on the result they just asked for.
    if (created) resultHeading.current?.focus();
  }, [created]);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setCreated(await createMeeting(title.trim()));
    } catch (err) {
      // A lost session is handled by the auth store: the page then shows the sign-in.
      setError(apiErrorKey(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card start__card" aria-labelledby="create-heading">
      {created ? (
        <div className="result">
          <h2 id="create-heading" className="card__title" tabIndex={-1} ref={resultHeading}>
            <Icon name="check" className="result__check" />
            {t('start.result.heading')}
          </h2>
          <p className="card__text">
            {created.title && <strong className="result__title">{created.title}</strong>}
            {t('start.result.intro')}
          </p>
          <CopyField
            label={t('start.result.moderatorLink')}
            hint={t('start.result.moderatorHint')}
            value={created.moderatorLink}
            copyLabel={t('start.result.copyModerator')}
            tone="caution"
          />
          <CopyField
            label={t('start.result.participantLink')}
            hint={t('start.result.participantHint')}
            value={created.participantLink}
            copyLabel={t('start.result.copyParticipant')}
          />
          <div className="button-row">
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                openLink(created.moderatorLink);
              }}
            >
              {t('start.result.join')}
            </button>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => {
                setCreated(null);
                setTitle('');
                setTimeout(() => titleInput.current?.focus(), 0);
              }}
            >
              {t('start.result.another')}
            </button>
          </div>
        </div>
      ) : (
        <form
          className="create-form"
          onSubmit={(event) => {
            void submit(event);
          }}
          noValidate
        >
          <h2 id="create-heading" className="card__title">
            {t('start.create.heading')}
          </h2>
          <div className="field">
            <label htmlFor={titleId} className="field-label">
              {t('start.create.titleLabel')}
            </label>
            <p id={`${titleId}-hint`} className="field-hint">
              {t('start.create.titleHint')}
            </p>
            <input
              ref={titleInput}
              id={titleId}
              className="input"
              type="text"
              value={title}
              maxLength={TITLE_MAX}
              autoComplete="off"
              aria-describedby={`${titleId}-hint`}
              onChange={(event) => {
                setTitle(event.target.value);
              }}
            />
          </div>
          {error && (
            <p className="notice notice--error" role="alert">
              <Icon name="alert" />
              {t(error)}
            </p>
          )}
          <button
            type="submit"
            className="button button--primary button--block"
            aria-disabled={busy}
          >
            {t('start.create.submit')}
          </button>
          <p className="visually-hidden" role="status">
            {busy ? t('start.create.busy') : ''}
          </p>
        </form>
      )}
    </section>
  );
}
