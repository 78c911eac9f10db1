import { useId, useRef, useState } from 'react';
import type { Participant, ReportReason } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { apiErrorKey } from '../errorMessage.ts';
import { Icon } from '../Icons.tsx';
import { Notice } from '../Notice.tsx';
import { REASON_LABELS, REPORT_REASONS, REPORT_TEXT_MAX } from './reportTexts.ts';

/**
 * The report form: a reason (required; focus goes there when missing) and an optional
 * description with the characters left. A refused report keeps the form and says why.
 */
export function ReportForm({
  target,
  onSubmit,
  onCancel,
}: {
  target: Participant;
  onSubmit: (target: Participant, reason: ReportReason, text: string) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [reason, setReason] = useState<ReportReason | ''>('');
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const missing = tried && reason === '';

  const submit = () => {
    if (busy) return;
    setTried(true);
    if (reason === '') {
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    onSubmit(target, reason, text).catch((failure: unknown) => {
      setBusy(false);
      setError(t(apiErrorKey(failure)));
    });
  };

  return (
    <form
      className="dialog__form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <p className="dialog__text">{t('reports.dialog.text', { name: target.displayName })}</p>
      <div className="field">
        <label htmlFor={`${id}-reason`} className="field-label">
          {t('reports.dialog.reason')}
        </label>
        <select
          ref={reasonRef}
          id={`${id}-reason`}
          className="select"
          value={reason}
          required
          aria-invalid={missing || undefined}
          aria-describedby={missing ? `${id}-reason-error` : undefined}
          onChange={(event) => {
            const next = REPORT_REASONS.find((r) => r === event.target.value);
            setReason(next ?? '');
          }}
        >
          <option value="">{t('reports.dialog.choose')}</option>
          {REPORT_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(REASON_LABELS[r])}
            </option>
          ))}
        </select>
        {missing && (
          <p id={`${id}-reason-error`} className="field-error">
            <Icon name="alert" />
            {t('reports.dialog.reasonMissing')}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`} className="field-label">
          {t('reports.dialog.details')}
        </label>
        <p id={`${id}-hint`} className="field-hint">
          {t('reports.dialog.detailsHint')}
        </p>
        <textarea
          id={`${id}-text`}
          className="input report-form__text"
          rows={4}
          value={text}
          maxLength={REPORT_TEXT_MAX}
          aria-describedby={`${id}-hint ${id}-count`}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
        <p id={`${id}-count`} className="field-hint field-hint--small report-form__count">
          {t('reports.dialog.left', { count: REPORT_TEXT_MAX - text.length })}
        </p>
      </div>
      {error !== null && <Notice tone="error">{error}</Notice>}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button--primary" aria-disabled={busy}>
          {t('reports.dialog.send')}
        </button>
      </div>
    </form>
  );
}
