import type { UserView } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { Icon } from '../../ui/Icons.tsx';

/** A user name that may wrap before its "@" (long e-mail addresses), never inside a word. */
function breakable(username: string) {
  const at = username.indexOf('@');
  if (at <= 0) return username;
  return (
    <>
      {username.slice(0, at)}
      <wbr />
      {username.slice(at)}
    </>
  );
}

/** What an admin can do with one account. */
export type UserAction = 'roles' | 'disable' | 'enable' | 'link' | 'endSessions';

/**
 * One account in the users table. Every action button's name includes the person's name
 * ("Disable Ada Lovelace"), so a screen reader user knows which row it acts on.
 */
export function UserRow({
  user,
  self,
  busy,
  onAction,
}: {
  user: UserView;
  /** The signed-in admin's own row: disabling, links and ending sessions are for others (the account page has their own). */
  self: boolean;
  busy: boolean;
  onAction: (action: UserAction, user: UserView) => void;
}) {
  const { t, lang } = useI18n();
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const name = user.displayName;
  const local = user.source === 'local';
  const button = (action: UserAction, label: string, aria: string, tone = 'secondary') => (
    <button
      type="button"
      className={`button button--${tone} button--small`}
      aria-label={aria}
      aria-disabled={busy}
      onClick={() => {
        onAction(action, user);
      }}
    >
      {label}
    </button>
  );
  return (
    <tr
      className={user.status === 'disabled' ? 'users-table__row is-disabled' : 'users-table__row'}
    >
      <th scope="row" className="users-table__name">
        {name}
        {self && <span className="users-table__you"> {t('admin.you')}</span>}
        {!local && <span className="users-table__source">{t(`admin.source.${user.source}`)}</span>}
      </th>
      <td className="users-table__mono">{breakable(user.username)}</td>
      <td>
        {user.roles.length === 0 ? (
          <span className="users-table__none">–</span>
        ) : (
          <ul className="role-tags">
            {user.roles.map((role) => (
              <li key={role} className="role-tag">
                {t(`role.${role}`)}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <span className={`pill pill--${user.status}`}>{t(`admin.status.${user.status}`)}</span>
      </td>
      <td>
        {user.mfa ? (
          <span className="users-table__mfa">
            <Icon name="check" />
            {t('admin.mfa.on')}
          </span>
        ) : (
          <span className="users-table__none">{t('admin.mfa.off')}</span>
        )}
      </td>
      <td className="users-table__time">
        {user.lastLoginAt === null ? t('admin.never') : time.format(new Date(user.lastLoginAt))}
      </td>
      <td className="users-table__num">{user.activeSessions}</td>
      <td>
        <div className="users-table__actions">
          {button('roles', t('admin.action.roles'), t('admin.action.rolesLabel', { name }))}
          {!self &&
            local &&
            user.status !== 'disabled' &&
            button('link', t('admin.action.link'), t('admin.action.linkLabel', { name }))}
          {!self &&
            user.activeSessions > 0 &&
            button(
              'endSessions',
              t('admin.action.endSessions'),
              t('admin.action.endSessionsLabel', { name }),
            )}
          {!self &&
            (user.status === 'disabled'
              ? button('enable', t('admin.action.enable'), t('admin.action.enableLabel', { name }))
              : button(
                  'disable',
                  t('admin.action.disable'),
                  t('admin.action.disableLabel', { name }),
                  'danger-outline',
                ))}
        </div>
      </td>
    </tr>
  );
}
