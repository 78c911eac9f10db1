import type { I18n } from '../../i18n/I18n.tsx';
import { GUEST_POLICY_TEXTS } from './policyRules.ts';
import type { Relaxation } from './policyRules.ts';

/** The confirmation text for relaxing a policy: one plain sentence per relaxation. */
export function relaxationText(t: I18n['t'], relaxations: readonly Relaxation[]): string {
  const sentences = relaxations.map((relaxation) => {
    switch (relaxation.kind) {
      case 'guestPolicy':
        return t('policy.relax.guestPolicy', {
          from: t(GUEST_POLICY_TEXTS[relaxation.from].label),
          to: t(GUEST_POLICY_TEXTS[relaxation.to].label),
        });
      case 'passcode':
        return t('policy.relax.passcode');
      case 'lockOff':
        return t('policy.relax.lockOff');
      case 'lockLater':
        return t('policy.relax.lockLater', { from: relaxation.from, to: relaxation.to });
    }
  });
  return [...sentences, t('policy.relax.sure')].join(' ');
}
