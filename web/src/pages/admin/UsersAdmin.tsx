import { useCallback, useEffect, useState } from 'react';
import type { OneTimeLinkReply, SessionReply, UserView } from '@konvent/protocol';
import { endUserSessions, fetchUsers, issueUserLink, updateUser } from '../../api/authApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { apiErrorKey, errorCode } from '../../ui/errorMessage.ts';
import { Icon } from '../../ui/Icons.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { InviteDialog } from './InviteDialog.tsx';
import { LinkResult } from './LinkResult.tsx';
import { RolesDialog } from './RolesDialog.tsx';
import { UserRow, type UserAction } from './UserRow.tsx';

type Open =
  | { kind: 'invite' }
  | { kind: 'roles'; user: UserView }
  | { kind: 'disable'; user: UserView }
  | { kind: 'endSessions'; user: UserView }
  | { kind: 'link'; user: UserView; link: OneTimeLinkReply; linkKind: 'invite' | 'reset' }
  | null;
type Status = { tone: 'success' | 'error'; text: string } | null;

/**
 * The user administration: every account in a table with its roles, status, second
 * factor, last sign-in and open sessions; invite, change roles, disable or enable (disabling
 * ends every session of the account at once), issue a new link, end sessions.
 */
export function UsersAdmin({ session }: { session: SessionReply }) {
  const { t } = useI18n();
  const [users, setUsers] = useState<readonly UserView[] | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);

  const load = useCallback(async () => {
    try {
      setUsers((await fetchUsers()).users);
    } catch (err) {
      setStatus({ tone: 'error', text: t(apiErrorKey(err)) });
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  const close = () => {
    setOpen(null);
    setDialogError(null);
  };

  /** Runs an admin action; `inDialog` errors stay in the open dialog, others go on top. */
  const run = async (work: () => Promise<string | null>, inDialog: boolean) => {
    if (busy) return;
    setBusy(true);
    setStatus(null);
    try {
      const done = await work();
      if (done !== null) setStatus({ tone: 'success', text: done });
      await load();
    } catch (err) {
      const conflict = errorCode(err) === 'conflict';
      const text = t(conflict ? 'admin.conflict.disable' : apiErrorKey(err));
      if (inDialog) setDialogError(text);
      else setStatus({ tone: 'error', text: conflict ? t('admin.conflict.generic') : text });
    } finally {
      setBusy(false);
    }
  };

  const onAction = (action: UserAction, user: UserView) => {
    const name = user.displayName;
    switch (action) {
      case 'roles':
      case 'disable':
      case 'endSessions':
        setDialogError(null);
        setOpen({ kind: action, user });
        return;
      case 'enable':
        void run(async () => {
          await updateUser(user.id, { disabled: false });
          return t('admin.enabled', { name });
        }, false);
        return;
      case 'link':
        void run(async () => {
          const link = await issueUserLink(user.id);
          setOpen({
            kind: 'link',
            user,
            link,
            linkKind: user.status === 'invited' ? 'invite' : 'reset',
          });
          return null;
        }, false);
        return;
    }
  };

  const confirmOpen = open?.kind === 'disable' || open?.kind === 'endSessions';
  const confirmName = confirmOpen ? open.user.displayName : '';
  return (
    <>
      <div className="console__toolbar">
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            setOpen({ kind: 'invite' });
          }}
        >
          <Icon name="plus" />
          {t('admin.invite')}
        </button>
      </div>
      {status !== null && <Notice tone={status.tone}>{status.text}</Notice>}
      <section className="card console__card console__card--table" aria-labelledby="users-heading">
        <h2 id="users-heading" className="card__title">
          <Icon name="users" />
          {t('admin.users.heading')}
        </h2>
        {users === null ? (
          <p className="inline-loading" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('app.loading')}
          </p>
        ) : (
          <div className="users-table__wrap">
            <table className="users-table">
              <caption className="visually-hidden">
                {t('admin.users.caption', { count: users.length })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.col.name')}</th>
                  <th scope="col">{t('admin.col.username')}</th>
                  <th scope="col">{t('admin.col.roles')}</th>
                  <th scope="col">{t('admin.col.status')}</th>
                  <th scope="col">{t('admin.col.mfa')}</th>
                  <th scope="col">{t('admin.col.lastLogin')}</th>
                  <th scope="col">{t('admin.col.sessions')}</th>
                  <th scope="col">{t('admin.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <UserRow
                    key={user.id}
                    user={user}
                    self={user.id === session.account.id}
                    busy={busy}
                    onAction={onAction}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <InviteDialog
        open={open?.kind === 'invite'}
        onClose={close}
        onInvited={() => {
          void load();
        }}
      />
      {open?.kind === 'roles' && (
        <RolesDialog
          user={open.user}
          onClose={close}
          onSaved={(saved) => {
            close();
            setStatus({
              tone: 'success',
              text: t('admin.roles.saved', { name: saved.displayName }),
            });
            void load();
          }}
        />
      )}
      {open?.kind === 'link' && (
        <Dialog
          open
          title={t(
            open.linkKind === 'invite' ? 'admin.link.inviteTitle' : 'admin.link.resetTitle',
            {
              name: open.user.displayName,
            },
          )}
          onClose={close}
          wide
        >
          <LinkResult
            name={open.user.displayName}
            kind={open.linkKind}
            link={open.link}
            onDone={close}
          />
        </Dialog>
      )}
      <ConfirmDialog
        open={confirmOpen}
        title={t(open?.kind === 'disable' ? 'admin.disable.title' : 'admin.endSessions.title', {
          name: confirmName,
        })}
        text={t(open?.kind === 'disable' ? 'admin.disable.text' : 'admin.endSessions.text', {
          name: confirmName,
        })}
        confirmLabel={t(
          open?.kind === 'disable' ? 'admin.disable.confirm' : 'admin.endSessions.confirm',
        )}
        cancelLabel={t('common.cancel')}
        error={dialogError}
        onConfirm={() => {
          if (!confirmOpen) return;
          const { user } = open;
          void run(async () => {
            if (open.kind === 'disable') {
              await updateUser(user.id, { disabled: true });
              close();
              return t('admin.disabled', { name: user.displayName });
            }
            const { revoked } = await endUserSessions(user.id);
            close();
            return t('admin.sessionsEnded', { name: user.displayName, count: revoked });
          }, true);
        }}
        onCancel={close}
      />
    </>
  );
}
