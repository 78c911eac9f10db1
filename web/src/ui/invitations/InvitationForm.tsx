import { useId, useRef, useState } from 'react';
import type { CreateInvitationBody, InvitationRole } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Field } from '../Field.tsx';
import { Icon } from '../Icons.tsx';
import { Notice } from '../Notice.tsx';
import { RadioOption } from '../policy/RadioOption.tsx';

const LABEL_MAX = 200;
const USES_MAX = 1000;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/u;

const VALIDITY: readonly { hours: number; label: MessageKey }[] = [
  { hours: 1, label: 'invitations.validity.hour' },
  { hours: 24, label: 'invitations.validity.day' },
  { hours: 168, label: 'invitations.validity.week' },
  { hours: 720, label: 'invitations.validity.month' },
  { hours: 2160, label: 'invitations.validity.quarter' },
];
const DEFAULT_HOURS = 168;

const ROLES: readonly { role: InvitationRole; label: MessageKey }[] = [
  { role: 'participant', label: 'role.participant' },
  { role: 'presenter', label: 'role.presenter' },
  { role: 'moderator', label: 'role.moderator' },
];

type Uses = 'single' | 'several' | 'unlimited';

/**
 * A new personal invitation: who it is for, the role it gives, how long it works, single or
 * repeated use, and whether a PIN must come with it. Defaults: participant, 7 days, single
 * use, and whether whoever joins with it takes the minutes. `onSubmit` sends it; the owner shows the result.
 */
export function InvitationForm({
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  error: string | null;
  onSubmit: (body: CreateInvitationBody) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [label, setLabel] = useState('');
  const [role, setRole] = useState<InvitationRole>('participant');
  const [hours, setHours] = useState(DEFAULT_HOURS);
  const [uses, setUses] = useState<Uses>('single');
  const [maxUses, setMaxUses] = useState('5');
  const [pin, setPin] = useState(false);
  const [minuteTaker, setMinuteTaker] = useState(false);
  const [tried, setTried] = useState(false);
  const labelRef = useRef<HTMLInputElement>(null);

  const trimmed = label.trim();
  const labelProblem = trimmed === '' || CONTROL_CHARS.test(trimmed);
  const count = Number(maxUses);
  const usesProblem =
    uses === 'several' && (!/^\d{1,4}$/.test(maxUses.trim()) || count < 2 || count > USES_MAX);

  const submit = () => {
    if (busy) return;
    setTried(true);
    if (labelProblem) {
      labelRef.current?.focus();
      return;
    }
    if (usesProblem) return;
    const taker = minuteTaker && role !== 'moderator';
    onSubmit({
      label: trimmed,
      role,
      expiresInHours: hours,
      maxUses: uses === 'single' ? 1 : uses === 'several' ? count : null,
      pin,
      ...(taker ? { minuteTaker: true } : {}),
    });
  };

  return (
    <form
      className="dialog__form invitation-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Field
        inputRef={labelRef}
        label={t('invitations.form.label')}
        hint={t('invitations.form.labelHint')}
        value={label}
        onChange={setLabel}
        error={tried && labelProblem ? t('invitations.form.labelMissing') : null}
        type="text"
        autoComplete="off"
        maxLength={LABEL_MAX}
      />
      <div className="invitation-form__row">
        <div className="field">
          <label htmlFor={`${id}-role`} className="field-label">
            {t('invitations.form.role')}
          </label>
          <select
            id={`${id}-role`}
            className="select"
            value={role}
            aria-describedby={role === 'moderator' ? `${id}-role-hint` : undefined}
            onChange={(event) => {
              const next = ROLES.find((r) => r.role === event.target.value);
              if (next) setRole(next.role);
            }}
          >
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {t(r.label)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-validity`} className="field-label">
            {t('invitations.form.validity')}
          </label>
          <select
            id={`${id}-validity`}
            className="select"
            value={hours}
            onChange={(event) => {
              setHours(Number(event.target.value));
            }}
          >
            {VALIDITY.map((v) => (
              <option key={v.hours} value={v.hours}>
                {t(v.label)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {role === 'moderator' && (
        <p id={`${id}-role-hint`} className="notice notice--warning">
          <Icon name="shield" />
          {t('invitations.form.moderatorHint')}
        </p>
      )}
      <fieldset className="policy-group">
        <legend className="policy-group__legend">{t('invitations.form.uses')}</legend>
        <RadioOption
          name={`${id}-uses`}
          value="single"
          checked={uses === 'single'}
          label={t('invitations.form.single')}
          description={t('invitations.form.singleText')}
          tag={t('policy.recommended')}
          onSelect={() => {
            setUses('single');
          }}
        />
        <RadioOption
          name={`${id}-uses`}
          value="several"
          checked={uses === 'several'}
          label={t('invitations.form.several')}
          onSelect={() => {
            setUses('several');
          }}
        >
          {uses === 'several' ? (
            <Field
              label={t('invitations.form.maxUses')}
              value={maxUses}
              onChange={setMaxUses}
              error={tried && usesProblem ? t('invitations.form.maxUsesInvalid') : null}
              type="number"
              inputMode="numeric"
              min={2}
              max={USES_MAX}
            />
          ) : undefined}
        </RadioOption>
        <RadioOption
          name={`${id}-uses`}
          value="unlimited"
          checked={uses === 'unlimited'}
          label={t('invitations.form.unlimited')}
          description={t('invitations.form.unlimitedText')}
          onSelect={() => {
            setUses('unlimited');
          }}
        />
      </fieldset>
      <div className="invitation-form__pin">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={pin}
            aria-describedby={`${id}-pin-hint`}
            onChange={(event) => {
              setPin(event.target.checked);
            }}
          />
          <span>{t('invitations.form.pin')}</span>
        </label>
        <p id={`${id}-pin-hint`} className="field-hint invitation-form__pin-hint">
          {t('invitations.form.pinHint')}
        </p>
      </div>
      {/* Moderators write the minutes anyway. */}
      {role !== 'moderator' && (
        <div className="invitation-form__pin">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={minuteTaker}
              aria-describedby={`${id}-taker-hint`}
              onChange={(event) => {
                setMinuteTaker(event.target.checked);
              }}
            />
            <span>{t('minutes.invitation.taker')}</span>
          </label>
          <p id={`${id}-taker-hint`} className="field-hint invitation-form__pin-hint">
            {t('minutes.invitation.takerHint')}
          </p>
        </div>
      )}
      {error !== null && <Notice tone="error">{error}</Notice>}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.back')}
        </button>
        <button type="submit" className="button button--primary" aria-disabled={busy}>
          {t('invitations.form.submit')}
        </button>
      </div>
    </form>
  );
}
