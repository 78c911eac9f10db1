import { useId, useRef, useState } from 'react';
import type { MinutesItem, MinutesItemKind } from '@konvent/protocol';
import { MINUTES_LIMITS } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Field } from '../Field.tsx';
import { Icon } from '../Icons.tsx';
import { Notice } from '../Notice.tsx';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/u;
const DUE_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** What the form hands over: the text trimmed, owner and due date empty when not given. */
export interface ItemDraft {
  kind: MinutesItemKind;
  text: string;
  owner: string;
  due: string;
}

/** The first problem of each field (a message key), or null where the field is fine. */
export function itemProblems(draft: ItemDraft): {
  text: MessageKey | null;
  owner: MessageKey | null;
  due: MessageKey | null;
} {
  const text = draft.text.trim();
  const owner = draft.owner.trim();
  const due = draft.due.trim();
  return {
    text:
      text === ''
        ? 'minutes.item.textMissing'
        : text.length > MINUTES_LIMITS.itemText
          ? 'minutes.item.textTooLong'
          : null,
    owner:
      owner.length > MINUTES_LIMITS.owner
        ? 'minutes.item.ownerTooLong'
        : CONTROL_CHARS.test(owner)
          ? 'minutes.item.ownerInvalid'
          : null,
    due: due !== '' && (!DUE_DATE.test(due) || !realDay(due)) ? 'minutes.item.dueInvalid' : null,
  };
}

/** Whether `YYYY-MM-DD` names a day that exists (no 31 February). */
function realDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
}

/**
 * Adds or edits a decision or an action item: its kind (only when adding), the text and,
 * for action items, who does it and by when (a date input). Each field says what is wrong
 * with it under it; the server's refusal is shown below the form. `onSubmit` rejects with
 * the message to show.
 */
export function ItemForm({
  item,
  onSubmit,
  onCancel,
}: {
  /** The item to edit; a new one when absent. */
  item?: MinutesItem;
  onSubmit: (draft: ItemDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [kind, setKind] = useState<MinutesItemKind>(item?.kind ?? 'action');
  const [text, setText] = useState(item?.text ?? '');
  const [owner, setOwner] = useState(item?.owner ?? '');
  const [due, setDue] = useState(item?.due ?? '');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const draft: ItemDraft = { kind, text, owner, due };
  const problems = itemProblems(draft);
  const textError = tried && problems.text !== null ? t(problems.text) : null;

  const submit = () => {
    if (busy) return;
    setTried(true);
    setError(null);
    if (problems.text !== null) {
      textRef.current?.focus();
      return;
    }
    if (kind === 'action' && (problems.owner !== null || problems.due !== null)) return;
    setBusy(true);
    onSubmit(kind === 'action' ? draft : { ...draft, owner: '', due: '' }).then(
      () => {
        setBusy(false);
        if (item === undefined) {
          setText('');
          setOwner('');
          setDue('');
          setTried(false);
        }
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };

  return (
    <form
      className="minutes-form"
      noValidate
      aria-label={t(item === undefined ? 'minutes.item.addTitle' : 'minutes.item.editTitle')}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {item === undefined && (
        <fieldset className="minutes-form__kinds">
          <legend className="field-label">{t('minutes.item.kind')}</legend>
          {(['action', 'decision'] as const).map((k) => (
            <label key={k} className="minutes-form__kind">
              <input
                type="radio"
                name={`${id}-kind`}
                value={k}
                checked={kind === k}
                onChange={() => {
                  setKind(k);
                }}
              />
              {t(k === 'action' ? 'minutes.kind.action' : 'minutes.kind.decision')}
            </label>
          ))}
        </fieldset>
      )}
      <div className="field">
        <label htmlFor={`${id}-text`} className="field-label">
          {t(kind === 'action' ? 'minutes.item.actionText' : 'minutes.item.decisionText')}
        </label>
        <textarea
          ref={textRef}
          id={`${id}-text`}
          className="input minutes-form__text"
          rows={2}
          value={text}
          maxLength={MINUTES_LIMITS.itemText}
          aria-invalid={textError !== null}
          aria-describedby={textError !== null ? `${id}-text-error` : undefined}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
        {textError !== null && (
          <p id={`${id}-text-error`} className="field-error">
            <Icon name="alert" />
            {textError}
          </p>
        )}
      </div>
      {kind === 'action' && (
        <div className="minutes-form__row">
          <Field
            label={t('minutes.item.owner')}
            value={owner}
            onChange={setOwner}
            error={tried && problems.owner !== null ? t(problems.owner) : null}
            type="text"
            autoComplete="off"
            maxLength={MINUTES_LIMITS.owner}
          />
          <Field
            label={t('minutes.item.due')}
            value={due}
            onChange={setDue}
            error={tried && problems.due !== null ? t(problems.due) : null}
            type="date"
          />
        </div>
      )}
      {error !== null && <Notice tone="error">{error}</Notice>}
      <div className="minutes-form__actions">
        {onCancel !== undefined && (
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={onCancel}
          >
            {t('common.cancel')}
          </button>
        )}
        <button type="submit" className="button button--small button--primary" aria-disabled={busy}>
          {item === undefined ? <Icon name="plus" /> : null}
          {t(item === undefined ? 'minutes.item.add' : 'minutes.item.save')}
        </button>
      </div>
    </form>
  );
}
