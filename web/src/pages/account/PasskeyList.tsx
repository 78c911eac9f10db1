import type { WebAuthnCredentialView } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';

/** The registered passkeys, each with when it was added and last used, and "Remove". */
export function PasskeyList({
  passkeys,
  onRemove,
}: {
  passkeys: readonly WebAuthnCredentialView[];
  onRemove: (passkey: WebAuthnCredentialView) => void;
}) {
  const { t, lang } = useI18n();
  if (passkeys.length === 0) return null;
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
  return (
    <ul className="passkey-list" aria-label={t('factors.passkeys')}>
      {passkeys.map((passkey) => (
        <li key={passkey.id} className="passkey-list__item">
          <span className="passkey-list__body">
            <strong className="passkey-list__name">{passkey.name}</strong>
            <span className="passkey-list__meta">
              {t('factors.passkeyAddedOn', { date: date.format(new Date(passkey.createdAt)) })}
              {' · '}
              {passkey.lastUsedAt === null
                ? t('factors.passkeyNeverUsed')
                : t('factors.passkeyLastUsed', { date: date.format(new Date(passkey.lastUsedAt)) })}
            </span>
          </span>
          <button
            type="button"
            className="button button--ghost button--small"
            aria-label={t('factors.passkeyRemoveLabel', { name: passkey.name })}
            onClick={() => {
              onRemove(passkey);
            }}
          >
            {t('factors.remove')}
          </button>
        </li>
      ))}
    </ul>
  );
}
