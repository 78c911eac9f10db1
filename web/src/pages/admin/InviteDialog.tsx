import { useState } from 'react';
import type { SubmitEvent } from 'react';
import type { OneTimeLinkReply, PlatformRole } from '@konvent/protocol';
import { inviteUser } from '../../api/authApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { apiErrorKey, errorCode } from '../../ui/errorMessage.ts';
import { Field } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { LinkResult } from './LinkResult.tsx';
import { RoleCheckboxes } from './RoleCheckboxes.tsx';

const NAME_MAX = 64;

/**
 * Invites a user: name, user name and roles; the answer is a one-time link, shown here
 * with a copy button. The account stays inactive until the link is used.
 */
export function InviteDialog({
  open,
  onClose,
  onInvited,
}: {
  open: boolean;
  onClose: () => void;
  onInvited: () => void;
}) {
  const { t } = useI18n();
  const [displayName, setDisplayName] = useState('');
  const [username, setUsername] = useState('');
  const [roles, setRoles] = useState<PlatformRole[]>(['organiser']);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const [link, setLink] = useState<OneTimeLinkReply | null>(null);

  const close = () => {
    setDisplayName('');
    setUsername('');
    setRoles(['organiser']);
    setMissing(false);
    setError(null);
    setLink(null);
    onClose();
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    if (displayName.trim() === '' || username.trim().length < 3) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setLink(
        await inviteUser({
          username: username.trim(),
          displayName: displayName.trim(),
          roles,
        }),
      );
      onInvited();
    } catch (err) {
      setError(errorCode(err) === 'conflict' ? 'admin.conflict.invite' : apiErrorKey(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      title={
        link === null
          ? t('admin.invite.title')
          : t('admin.link.inviteTitle', { name: displayName.trim() })
      }
      onClose={close}
      wide
    >
      {link !== null ? (
        <LinkResult name={displayName.trim()} kind="invite" link={link} onDone={close} />
      ) : (
        <form
          className="dialog__form"
          noValidate
          onSubmit={(event) => {
            void submit(event);
          }}
        >
          <Field
            label={t('admin.invite.name')}
            value={displayName}
            onChange={setDisplayName}
            type="text"
            autoComplete="off"
            maxLength={NAME_MAX}
            error={missing && displayName.trim() === '' ? t('link.displayNameMissing') : null}
          />
          <Field
            label={t('admin.invite.username')}
            hint={t('admin.invite.usernameHint')}
            value={username}
            onChange={setUsername}
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={254}
            error={missing && username.trim().length < 3 ? t('link.usernameMissing') : null}
          />
          <RoleCheckboxes value={roles} onChange={setRoles} />
          {error !== null && <Notice tone="error">{t(error)}</Notice>}
          <div className="dialog__actions">
            <button type="button" className="button button--secondary" onClick={close}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="button button--primary" aria-disabled={busy}>
              {t('admin.invite.submit')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
