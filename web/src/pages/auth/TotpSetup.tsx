import { useEffect, useRef, useState } from 'react';
import type { SubmitEvent } from 'react';
import type { TotpConfirmReply, TotpStartReply } from '@konvent/protocol';
import { confirmTotp, startTotp } from '../../api/authApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { CopyField } from '../../ui/CopyField.tsx';
import { apiErrorKey } from '../../ui/errorMessage.ts';
import { Field } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';

const TOTP_PATTERN = /^[0-9]{6}$/;

/** The key in groups of four, as authenticator apps show and accept it. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Sets up an authenticator app: the server makes a secret, shown as a QR code (an SVG,
 * shown as an image: never put into the page as markup) and as text for typing in; the
 * first code from the app confirms it. The answer carries the new recovery codes.
 */
export function TotpSetup({
  onConfirmed,
  onCancel,
}: {
  onConfirmed: (reply: TotpConfirmReply) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [start, setStart] = useState<TotpStartReply | null>(null);
  const [code, setCode] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // Once per mount: each start makes a new secret, and StrictMode runs effects twice.
    if (started.current) return;
    started.current = true;
    startTotp()
      .then(setStart)
      .catch((err: unknown) => {
        setError(apiErrorKey(err));
      });
  }, []);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const cleaned = code.replace(/\s/g, '');
    if (!TOTP_PATTERN.test(cleaned)) {
      setInvalid(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onConfirmed(await confirmTotp(cleaned));
    } catch (err) {
      setError(apiErrorKey(err));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="totp-setup">
      {start === null && error === null && (
        <p className="inline-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('totp.starting')}
        </p>
      )}
      {start !== null && (
        <>
          <ol className="totp-setup__steps">
            <li>{t('totp.step.install')}</li>
            <li>{t('totp.step.scan')}</li>
          </ol>
          <div className="totp-setup__qr">
            <img
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(start.qrSvg)}`}
              alt={t('totp.qr')}
              width={200}
              height={200}
            />
          </div>
          <CopyField
            label={t('totp.secret')}
            hint={t('totp.secretHint')}
            value={grouped(start.secret)}
            copyLabel={t('totp.copySecret')}
          />
          <form
            className="auth__form"
            noValidate
            onSubmit={(event) => {
              void submit(event);
            }}
          >
            <Field
              label={t('totp.code')}
              hint={t('totp.codeHint')}
              value={code}
              onChange={(value) => {
                setCode(value);
                setInvalid(false);
              }}
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              spellCheck={false}
              error={invalid ? t('mfa.totpInvalid') : null}
            />
            {error !== null && <Notice tone="error">{t(error)}</Notice>}
            <div className="button-row button-row--tight">
              <button type="submit" className="button button--primary" aria-disabled={busy}>
                {t('totp.confirm')}
              </button>
              {onCancel && (
                <button type="button" className="button button--ghost" onClick={onCancel}>
                  {t('common.cancel')}
                </button>
              )}
            </div>
          </form>
        </>
      )}
      {start === null && error !== null && (
        <>
          <Notice tone="error">{t(error)}</Notice>
          {onCancel && (
            <button type="button" className="button button--secondary" onClick={onCancel}>
              {t('common.back')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
