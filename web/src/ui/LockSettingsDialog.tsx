import { useState } from 'react';
import type { MeetingLockName, MeetingLocks } from '@konvent/protocol';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Dialog } from './Dialog.tsx';
import { apiErrorKey } from './errorMessage.ts';

const LOCKS: readonly { name: MeetingLockName; label: MessageKey }[] = [
  { name: 'microphones', label: 'locks.microphones' },
  { name: 'cameras', label: 'locks.cameras' },
  { name: 'publicChat', label: 'locks.publicChat' },
  { name: 'privateChat', label: 'locks.privateChat' },
  { name: 'seeCameras', label: 'locks.seeCameras' },
  { name: 'participantList', label: 'locks.participantList' },
  { name: 'meeting', label: 'locks.meeting' },
  { name: 'screenShare', label: 'locks.screenShare' },
];

/**
 * The moderator's lock settings: one checkbox per lock, applied the moment it is ticked
 * (one click), so the dialog has nothing to save. A ticked box shows its new state at once
 * and then the server's, which arrives with `meeting.locksChanged` before the reply; a
 * refused change springs back and shows the server's reason.
 */
export function LockSettingsDialog({
  open,
  locks,
  onChange,
  onClose,
}: {
  open: boolean;
  locks: MeetingLocks;
  onChange: (changes: Partial<MeetingLocks>) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [pending, setPending] = useState<Partial<MeetingLocks>>({});
  const settle = (name: MeetingLockName) => {
    setPending((current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => key !== name)),
    );
  };
  return (
    <Dialog open={open} title={t('locks.title')} onClose={onClose}>
      <p className="dialog__text">{t('locks.intro')}</p>
      <fieldset className="locks">
        <legend className="visually-hidden">{t('locks.title')}</legend>
        {LOCKS.map(({ name, label }) => (
          <label key={name} className="checkbox locks__item">
            <input
              type="checkbox"
              checked={pending[name] ?? locks[name]}
              onChange={(event) => {
                const value = event.target.checked;
                setError(null);
                setPending((current) => ({ ...current, [name]: value }));
                onChange({ [name]: value }).then(
                  () => {
                    settle(name);
                    setAnnouncement(t('locks.changed'));
                  },
                  (failure: unknown) => {
                    settle(name);
                    setError(t(apiErrorKey(failure)));
                  },
                );
              }}
            />
            <span>{t(label)}</span>
          </label>
        ))}
      </fieldset>
      {error !== null && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <div className="dialog__actions">
        <button type="button" className="button button--primary" onClick={onClose}>
          {t('locks.close')}
        </button>
      </div>
    </Dialog>
  );
}
