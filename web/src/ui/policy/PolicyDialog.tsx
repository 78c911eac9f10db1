import { useState } from 'react';
import type { MeetingPolicy } from '@konvent/protocol';
import type { MeetingSecurityApi } from '../../api/meetingSecurityApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import { CopyField } from '../CopyField.tsx';
import { Dialog } from '../Dialog.tsx';
import { PolicyForm } from './PolicyForm.tsx';

/**
 * The moderators' admission settings in the meeting: guest policy, passcode (keep,
 * generate a new one, set one's own, remove) and lock after start. Saving sends only what
 * changed; anything that relaxes the protection asks first. A generated passcode is shown
 * once, with a copy button.
 */
export function PolicyDialog({
  open,
  policy,
  api,
  onSaved,
  onClose,
}: {
  open: boolean;
  /** The policy as the welcome and notifications have it; fetched when unknown. */
  policy: MeetingPolicy | null;
  api: MeetingSecurityApi;
  onSaved: (policy: MeetingPolicy) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [passcode, setPasscode] = useState<string | null>(null);
  const close = () => {
    setPasscode(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      title={t(passcode === null ? 'policy.title' : 'policy.passcodeTitle')}
      onClose={close}
      wide
    >
      {passcode === null ? (
        <PolicyForm
          policy={policy}
          api={api}
          onSaved={(reply) => {
            onSaved(reply.policy);
            if (reply.passcode === undefined) close();
            else setPasscode(reply.passcode);
          }}
          onCancel={close}
        />
      ) : (
        <div>
          <p className="dialog__text">{t('policy.passcodeText')}</p>
          <CopyField
            label={t('policy.passcodeLabel')}
            hint={t('policy.passcodeHint')}
            value={passcode}
            copyLabel={t('policy.copyPasscode')}
            tone="caution"
          />
          <div className="dialog__actions">
            <button type="button" className="button button--primary" onClick={close}>
              {t('common.done')}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
