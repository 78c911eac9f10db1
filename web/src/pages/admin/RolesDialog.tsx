import { useState } from 'react';
import type { SubmitEvent } from 'react';
import type { PlatformRole, UserView } from '@konvent/protocol';
import { updateUser } from '../../api/authApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { apiErrorKey, errorCode } from '../../ui/errorMessage.ts';
import { Notice } from '../../ui/Notice.tsx';
import { RoleCheckboxes } from './RoleCheckboxes.tsx';

/** Changes a user's roles. Taking the admin role from the last admin is refused. */
export function RolesDialog({
  user,
  onClose,
  onSaved,
}: {
  user: UserView;
  onClose: () => void;
  onSaved: (user: UserView) => void;
}) {
  const { t } = useI18n();
  const [roles, setRoles] = useState<PlatformRole[]>([...user.roles]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onSaved(await updateUser(user.id, { roles }));
    } catch (err) {
      setError(errorCode(err) === 'conflict' ? 'admin.conflict.roles' : apiErrorKey(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title={t('admin.roles.title', { name: user.displayName })} onClose={onClose} wide>
      <form
        className="dialog__form"
        noValidate
        onSubmit={(event) => {
          void submit(event);
        }}
      >
        <RoleCheckboxes value={roles} onChange={setRoles} />
        {error !== null && <Notice tone="error">{t(error)}</Notice>}
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" aria-disabled={busy}>
            {t('admin.roles.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
