import { useId } from 'react';
import type { GuestPolicy } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { DEFAULT_POLICY, GUEST_POLICIES, GUEST_POLICY_TEXTS } from './policyRules.ts';
import { RadioOption } from './RadioOption.tsx';

/**
 * Who may enter without waiting: the four guest policies, strictest first, each with a
 * plain-language explanation; the default is marked as recommended.
 */
export function GuestPolicyChoice({
  value,
  onChange,
}: {
  value: GuestPolicy;
  onChange: (value: GuestPolicy) => void;
}) {
  const { t } = useI18n();
  const name = useId();
  return (
    <fieldset className="policy-group">
      <legend className="policy-group__legend">{t('policy.guest.legend')}</legend>
      <p className="field-hint policy-group__hint">{t('policy.guest.hint')}</p>
      {GUEST_POLICIES.map((policy) => (
        <RadioOption
          key={policy}
          name={name}
          value={policy}
          checked={value === policy}
          label={t(GUEST_POLICY_TEXTS[policy].label)}
          description={t(GUEST_POLICY_TEXTS[policy].text)}
          tag={policy === DEFAULT_POLICY.guestPolicy ? t('policy.recommended') : undefined}
          onSelect={() => {
            onChange(policy);
          }}
        />
      ))}
    </fieldset>
  );
}
