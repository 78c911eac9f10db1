import type { MeetingPolicy } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { Icon } from '../Icons.tsx';
import { GUEST_POLICY_TEXTS } from './policyRules.ts';

/**
 * A meeting's admission policy in three short lines: who waits, whether a passcode is
 * needed, whether and when the meeting locks itself.
 */
export function PolicySummary({ policy, label }: { policy: MeetingPolicy; label: string }) {
  const { t } = useI18n();
  const minutes = policy.lockAfterStartMinutes;
  return (
    <ul className="policy-summary" aria-label={label}>
      <li className="policy-summary__item">
        <Icon name="door" />
        <span>{t(GUEST_POLICY_TEXTS[policy.guestPolicy].label)}</span>
      </li>
      <li className="policy-summary__item">
        <Icon name="key" />
        <span>{t(policy.passcode ? 'policy.summary.passcode' : 'policy.summary.noPasscode')}</span>
      </li>
      <li className="policy-summary__item">
        <Icon name="lock" />
        <span>
          {minutes === null ? t('policy.summary.noLock') : t('policy.summary.lock', { minutes })}
        </span>
      </li>
    </ul>
  );
}
