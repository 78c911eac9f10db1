import type { OneTimeLinkReply } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { CopyField } from '../../ui/CopyField.tsx';

/**
 * A one-time link just issued (invitation or password reset), shown once with a copy
 * button: the admin passes it on by a channel they trust.
 */
export function LinkResult({
  name,
  kind,
  link,
  onDone,
}: {
  name: string;
  kind: 'invite' | 'reset';
  link: OneTimeLinkReply;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const until = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(link.expiresAt),
  );
  return (
    <div className="link-result">
      <p className="dialog__text">{t('admin.link.text', { name, time: until })}</p>
      <CopyField
        label={t(kind === 'invite' ? 'admin.link.inviteLabel' : 'admin.link.resetLabel')}
        hint={t('admin.link.hint')}
        value={link.link}
        copyLabel={t(kind === 'invite' ? 'admin.link.copyInvite' : 'admin.link.copyReset')}
        tone="caution"
      />
      <div className="dialog__actions">
        <button type="button" className="button button--primary" onClick={onDone}>
          {t('common.done')}
        </button>
      </div>
    </div>
  );
}
