import type { InvitationView } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Icon } from '../Icons.tsx';
import { invitationStatus } from './invitationStatus.ts';
import type { InvitationStatus } from './invitationStatus.ts';

const STATUS: Record<InvitationStatus, { label: MessageKey; pill: string }> = {
  active: { label: 'invitations.status.active', pill: 'pill--active' },
  usedUp: { label: 'invitations.status.usedUp', pill: '' },
  expired: { label: 'invitations.status.expired', pill: '' },
  revoked: { label: 'invitations.status.revoked', pill: 'pill--disabled' },
};

const ROLES: Record<InvitationView['role'], MessageKey> = {
  participant: 'role.participant',
  presenter: 'role.presenter',
  moderator: 'role.moderator',
};

/**
 * The invitations of a meeting, newest first: who each is for (as text), role, expiry,
 * uses, whether a PIN is needed and whether it still works, with a Revoke button on those
 * that do.
 */
export function InvitationList({
  invitations,
  onRevoke,
}: {
  invitations: readonly InvitationView[];
  onRevoke: (invitation: InvitationView) => void;
}) {
  const { t, lang } = useI18n();
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const now = Date.now();
  return (
    <ul className="invitation-list" aria-label={t('invitations.listLabel')}>
      {invitations.map((invitation) => {
        const status = invitationStatus(invitation, now);
        const expiry = time.format(new Date(invitation.expiresAt));
        return (
          <li key={invitation.id} className="invitation-list__item">
            <div className="invitation-list__head">
              <span className="invitation-list__label">{invitation.label}</span>
              <span className={`pill ${STATUS[status].pill}`}>{t(STATUS[status].label)}</span>
            </div>
            <ul className="invitation-list__facts">
              <li>
                <Icon name={invitation.role === 'moderator' ? 'shield' : 'user'} />
                {t(ROLES[invitation.role])}
              </li>
              <li>
                <Icon name="clock" />
                {t(status === 'expired' ? 'invitations.expired' : 'invitations.validUntil', {
                  time: expiry,
                })}
              </li>
              <li>
                <Icon name="users" />
                {invitation.maxUses === null
                  ? t('invitations.usesUnlimited', { uses: invitation.uses })
                  : t('invitations.uses', { uses: invitation.uses, max: invitation.maxUses })}
              </li>
              <li>
                <Icon name="key" />
                {t(invitation.pin ? 'invitations.withPin' : 'invitations.withoutPin')}
              </li>
              {invitation.minuteTaker && (
                <li>
                  <Icon name="notes" />
                  {t('minutes.invitation.isTaker')}
                </li>
              )}
            </ul>
            {status === 'active' && (
              <button
                type="button"
                className="button button--small button--danger-outline invitation-list__revoke"
                aria-label={t('invitations.revokeLabel', { label: invitation.label })}
                onClick={() => {
                  onRevoke(invitation);
                }}
              >
                {t('invitations.revoke')}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
