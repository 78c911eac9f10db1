import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import type { WebAuthnRegisterReply } from '@konvent/protocol';
import { ApiError } from '../../api/ApiError.ts';
import { createPasskey } from '../../auth/passkeys.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { apiErrorKey } from '../../ui/errorMessage.ts';
import { Field } from '../../ui/Field.tsx';
import { Icon } from '../../ui/Icons.tsx';
import { Notice } from '../../ui/Notice.tsx';

const NAME_MAX = 64;
// Mirrors the protocol's rule for credential names: no control characters.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/u;

/**
 * Adds a passkey or security key under a name the user chooses, so several keys can be
 * told apart on the account page. The browser runs the ceremony (fingerprint, PIN, key).
 */
export function PasskeySetup({
  onRegistered,
  onCancel,
  defaultName = '',
}: {
  onRegistered: (reply: WebAuthnRegisterReply) => void;
  onCancel?: () => void;
  defaultName?: string;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(defaultName);
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const supported = browserSupportsWebAuthn();

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (trimmed === '' || CONTROL_CHARS.test(trimmed)) {
      setInvalid(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onRegistered(await createPasskey(trimmed));
    } catch (err) {
      // The browser's errors (cancelled, timed out, no authenticator) say nothing useful.
      setError(err instanceof ApiError ? apiErrorKey(err) : 'passkey.failed');
    } finally {
      setBusy(false);
    }
  };

  if (!supported) return <Notice tone="warning">{t('passkey.unsupported')}</Notice>;
  return (
    <form
      className="auth__form passkey-setup"
      noValidate
      onSubmit={(event) => {
        void submit(event);
      }}
    >
      <Field
        label={t('passkey.name')}
        hint={t('passkey.nameHint')}
        value={name}
        onChange={(value) => {
          setName(value);
          setInvalid(false);
        }}
        type="text"
        autoComplete="off"
        maxLength={NAME_MAX}
        error={invalid ? t('passkey.nameMissing') : null}
      />
      {error !== null && <Notice tone="error">{t(error)}</Notice>}
      <div className="button-row button-row--tight">
        <button type="submit" className="button button--primary" aria-disabled={busy}>
          <Icon name="key" />
          {t('passkey.add')}
        </button>
        {onCancel && (
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {busy ? t('passkey.busy') : ''}
      </p>
    </form>
  );
}
