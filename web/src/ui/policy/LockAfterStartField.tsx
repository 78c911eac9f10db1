import { useId } from 'react';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Icon } from '../Icons.tsx';
import { LOCK_MINUTES_MAX } from './policyRules.ts';

/**
 * Locking the meeting by itself some minutes after it started (a checkbox, then the
 * minutes). A locked meeting sends new arrivals who are not moderators to the waiting room.
 */
export function LockAfterStartField({
  enabled,
  minutes,
  error,
  onEnabledChange,
  onMinutesChange,
}: {
  enabled: boolean;
  minutes: string;
  error: MessageKey | undefined;
  onEnabledChange: (enabled: boolean) => void;
  onMinutesChange: (minutes: string) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <fieldset className="policy-group">
      <legend className="policy-group__legend">{t('policy.lock.legend')}</legend>
      <p id={`${id}-hint`} className="field-hint policy-group__hint">
        {t('policy.lock.hint')}
      </p>
      <label className="checkbox policy-group__checkbox">
        <input
          type="checkbox"
          checked={enabled}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            onEnabledChange(event.target.checked);
          }}
        />
        <span>{t('policy.lock.enabled')}</span>
      </label>
      {enabled && (
        <div className="policy-group__minutes">
          <label htmlFor={`${id}-minutes`} className="field-label field-label--small">
            {t('policy.lock.minutes')}
          </label>
          <span className="policy-group__minutes-row">
            <input
              id={`${id}-minutes`}
              className="input policy-group__minutes-input"
              type="number"
              inputMode="numeric"
              min={1}
              max={LOCK_MINUTES_MAX}
              step={1}
              value={minutes}
              aria-invalid={error === undefined ? undefined : true}
              aria-describedby={error === undefined ? undefined : `${id}-error`}
              onChange={(event) => {
                onMinutesChange(event.target.value);
              }}
            />
            <span aria-hidden="true">{t('policy.lock.minutesUnit')}</span>
          </span>
          {error !== undefined && (
            <p id={`${id}-error`} className="field-error">
              <Icon name="alert" />
              {t(error)}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}
