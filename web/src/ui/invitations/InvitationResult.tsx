import { useEffect, useRef } from 'react';
import type { CreateInvitationReply } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { CopyField } from '../CopyField.tsx';
import { Icon } from '../Icons.tsx';

/**
 * A new invitation's link and PIN, shown this once with copy buttons (the server keeps only
 * hashes), with the advice to send the PIN by another channel than the link.
 */
export function InvitationResult({
  created,
  onAnother,
  onDone,
}: {
  created: CreateInvitationReply;
  onAnother: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const { invitation } = created;
  const until = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(invitation.expiresAt),
  );
  const uses =
    invitation.maxUses === null
      ? t('invitations.result.usesUnlimited')
      : invitation.maxUses === 1
        ? t('invitations.result.usesOnce')
        : t('invitations.result.usesMax', { max: invitation.maxUses });

  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <div className="invitation-result">
      <h3 className="invitation-result__heading" tabIndex={-1} ref={heading}>
        <Icon name="check" className="result__check" />
        {t('invitations.result.heading', { label: invitation.label })}
      </h3>
      <p className="dialog__text">{t('invitations.result.text', { uses, time: until })}</p>
      <CopyField
        label={t('invitations.result.link')}
        hint={t('invitations.result.linkHint')}
        value={created.link}
        copyLabel={t('invitations.result.copyLink')}
        tone="caution"
      />
      {created.pin !== undefined && (
        <CopyField
          label={t('invitations.result.pin')}
          hint={t('invitations.result.pinHint')}
          value={created.pin}
          copyLabel={t('invitations.result.copyPin')}
          tone="caution"
        />
      )}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onAnother}>
          {t('invitations.result.another')}
        </button>
        <button type="button" className="button button--primary" onClick={onDone}>
          {t('common.done')}
        </button>
      </div>
    </div>
  );
}
