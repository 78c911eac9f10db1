import { useEffect, useRef, useState } from 'react';
import type { SubmitEvent } from 'react';
import type { MfaMethod, SessionReply } from '@konvent/protocol';
import { ApiError } from '../../api/ApiError.ts';
import { loginWithRecoveryCode, loginWithTotp } from '../../api/authApi.ts';
import { signInWithPasskey } from '../../auth/passkeys.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { apiErrorKey } from '../../ui/errorMessage.ts';
import { Field } from '../../ui/Field.tsx';
import { Icon } from '../../ui/Icons.tsx';
import { Notice } from '../../ui/Notice.tsx';

type Mode = 'totp' | 'recovery' | 'passkey';

const TOTP_PATTERN = /^[0-9]{6}$/;
const RECOVERY_PATTERN = /^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/;

function firstMode(methods: readonly MfaMethod[]): Mode {
  if (methods.includes('totp')) return 'totp';
  if (methods.includes('webauthn')) return 'passkey';
  return 'recovery';
}

/**
 * The second sign-in step: a code from the authenticator app, a passkey, or a recovery
 * code, whichever the account has. "Cancel" signs the half-finished session out.
 */
export function MfaPrompt({
  methods,
  onSession,
  onCancel,
}: {
  methods: readonly MfaMethod[];
  onSession: (session: SessionReply) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode>(() => firstMode(methods));
  const [code, setCode] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    codeRef.current?.focus();
  }, [mode]);

  const switchTo = (next: Mode) => {
    setMode(next);
    setCode('');
    setInvalid(false);
    setError(null);
  };

  const run = async (step: () => Promise<SessionReply>, browserFailure: MessageKey) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onSession(await step());
    } catch (err) {
      setError(err instanceof ApiError ? apiErrorKey(err) : browserFailure);
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  const submitCode = (event: SubmitEvent) => {
    event.preventDefault();
    const cleaned = mode === 'totp' ? code.replace(/\s/g, '') : code.trim().toUpperCase();
    if (!(mode === 'totp' ? TOTP_PATTERN : RECOVERY_PATTERN).test(cleaned)) {
      setInvalid(true);
      return;
    }
    void run(
      () => (mode === 'totp' ? loginWithTotp(cleaned) : loginWithRecoveryCode(cleaned)),
      'error.generic',
    );
  };

  const canPasskey = methods.includes('webauthn');
  return (
    <>
      <h1 className="auth__heading">{t('mfa.heading')}</h1>
      <p className="auth__lead">{t('mfa.lead')}</p>
      {mode !== 'passkey' && (
        <form className="auth__form" noValidate onSubmit={submitCode}>
          {mode === 'totp' ? (
            <Field
              key="totp"
              label={t('mfa.totpCode')}
              hint={t('mfa.totpHint')}
              value={code}
              onChange={(value) => {
                setCode(value);
                setInvalid(false);
              }}
              inputRef={codeRef}
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              spellCheck={false}
              error={invalid ? t('mfa.totpInvalid') : null}
            />
          ) : (
            <Field
              key="recovery"
              label={t('mfa.recoveryCode')}
              hint={t('mfa.recoveryHint')}
              value={code}
              onChange={(value) => {
                setCode(value);
                setInvalid(false);
              }}
              inputRef={codeRef}
              type="text"
              autoComplete="off"
              autoCapitalize="characters"
              maxLength={11}
              spellCheck={false}
              error={invalid ? t('mfa.recoveryInvalid') : null}
            />
          )}
          {error !== null && <Notice tone="error">{t(error)}</Notice>}
          <button
            type="submit"
            className="button button--primary button--block"
            aria-disabled={busy}
          >
            {t('mfa.verify')}
          </button>
        </form>
      )}
      {mode === 'passkey' && error !== null && <Notice tone="error">{t(error)}</Notice>}
      <div className="auth__alternatives">
        {canPasskey && (
          <button
            type="button"
            className={
              mode === 'passkey'
                ? 'button button--primary button--block'
                : 'button button--secondary button--block'
            }
            aria-disabled={busy}
            onClick={() => {
              void run(signInWithPasskey, 'mfa.passkeyFailed');
            }}
          >
            <Icon name="key" />
            {t('mfa.usePasskey')}
          </button>
        )}
        {mode !== 'totp' && methods.includes('totp') && (
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              switchTo('totp');
            }}
          >
            {t('mfa.useTotp')}
          </button>
        )}
        {mode !== 'recovery' && methods.includes('recovery') && (
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              switchTo('recovery');
            }}
          >
            {t('mfa.useRecovery')}
          </button>
        )}
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {t('mfa.cancel')}
        </button>
      </div>
      <p className="visually-hidden" role="status">
        {busy ? t('mfa.busy') : ''}
      </p>
    </>
  );
}
