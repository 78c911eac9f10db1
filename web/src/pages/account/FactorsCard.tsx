import { useCallback, useEffect, useState } from 'react';
import type { FactorsReply, SessionReply, WebAuthnCredentialView } from '@konvent/protocol';
import {
  fetchFactors,
  regenerateRecoveryCodes,
  removePasskey,
  removeTotp,
} from '../../api/authApi.ts';
import { authStore } from '../../auth/session.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { apiErrorKey, errorCode } from '../../ui/errorMessage.ts';
import { Icon } from '../../ui/Icons.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { PasskeySetup } from '../auth/PasskeySetup.tsx';
import { RecoveryCodes } from '../auth/RecoveryCodes.tsx';
import { TotpSetup } from '../auth/TotpSetup.tsx';
import { PasskeyList } from './PasskeyList.tsx';

type Adding = 'none' | 'totp' | 'passkey';
type Confirm =
  | { kind: 'totp' }
  | { kind: 'passkey'; passkey: WebAuthnCredentialView }
  | { kind: 'recovery' }
  | null;
type Status = { tone: 'success' | 'error'; text: string } | null;

/**
 * My second factors: the authenticator app (set up, remove), passkeys (add under a name,
 * remove) and recovery codes (how many are left, make new ones). New recovery codes are
 * shown once, right here. Removing the last factor a role requires is refused by the server.
 */
export function FactorsCard({ session }: { session: SessionReply }) {
  const { t } = useI18n();
  const [factors, setFactors] = useState<FactorsReply | null>(null);
  const [adding, setAdding] = useState<Adding>('none');
  const [codes, setCodes] = useState<readonly string[] | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [status, setStatus] = useState<Status>(null);

  const load = useCallback(async () => {
    try {
      setFactors(await fetchFactors());
    } catch (err) {
      setStatus({ tone: 'error', text: t(apiErrorKey(err)) });
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  const enrolled = (recoveryCodes: readonly string[] | null, next: SessionReply, done: string) => {
    setAdding('none');
    setStatus({ tone: 'success', text: done });
    if (recoveryCodes !== null && recoveryCodes.length > 0) setCodes(recoveryCodes);
    authStore.accept(next);
    void load();
  };

  const runConfirmed = async () => {
    if (confirm === null) return;
    try {
      if (confirm.kind === 'totp') {
        await removeTotp();
        setStatus({ tone: 'success', text: t('factors.totpRemoved') });
      } else if (confirm.kind === 'passkey') {
        await removePasskey(confirm.passkey.id);
        setStatus({
          tone: 'success',
          text: t('factors.passkeyRemoved', { name: confirm.passkey.name }),
        });
      } else {
        setCodes((await regenerateRecoveryCodes()).recoveryCodes);
        setStatus(null);
      }
      setConfirm(null);
      setConfirmError(null);
      void load();
    } catch (err) {
      // The likely conflict is the last factor of a role that requires one.
      setConfirmError(
        t(
          errorCode(err) === 'conflict' && confirm.kind !== 'recovery'
            ? 'factors.lastFactor'
            : apiErrorKey(err),
        ),
      );
    }
  };

  const dialog = {
    totp: {
      title: t('factors.totpRemove.title'),
      text: t('factors.totpRemove.text'),
      confirmLabel: t('factors.remove'),
    },
    passkey: {
      title: t('factors.passkeyRemove.title', {
        name: confirm?.kind === 'passkey' ? confirm.passkey.name : '',
      }),
      text: t('factors.passkeyRemove.text'),
      confirmLabel: t('factors.remove'),
    },
    recovery: {
      title: t('factors.recoveryNew.title'),
      text: t('factors.recoveryNew.text'),
      confirmLabel: t('factors.recoveryNew.confirm'),
    },
  }[confirm?.kind ?? 'totp'];

  const hasFactor = factors !== null && (factors.totp || factors.webauthn.length > 0);
  return (
    <section className="card console__card console__card--wide" aria-labelledby="factors-heading">
      <h2 id="factors-heading" className="card__title">
        <Icon name="shield" />
        {t('factors.heading')}
      </h2>
      <p className="card__text">
        {t(session.account.mfaRequired ? 'factors.leadRequired' : 'factors.lead')}
      </p>
      {codes !== null && (
        <div className="console__codes">
          <RecoveryCodes
            codes={codes}
            doneLabel={t('recovery.hide')}
            onDone={() => {
              setCodes(null);
            }}
          />
        </div>
      )}
      {status !== null && <Notice tone={status.tone}>{status.text}</Notice>}
      {factors === null ? (
        status === null && (
          <p className="inline-loading" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('app.loading')}
          </p>
        )
      ) : (
        <div className="factor-list">
          <section className="factor" aria-labelledby="factor-totp">
            <span className="factor__icon">
              <Icon name="phone" />
            </span>
            <div className="factor__body">
              <h3 id="factor-totp" className="factor__title">
                {t('factors.totp')}
                <span className={factors.totp ? 'pill pill--success' : 'pill'}>
                  {t(factors.totp ? 'factors.on' : 'factors.off')}
                </span>
              </h3>
              <p className="factor__text">{t('enrol.totp.text')}</p>
              {adding === 'totp' && (
                <TotpSetup
                  onConfirmed={(reply) => {
                    enrolled(reply.recoveryCodes, reply.session, t('factors.totpAdded'));
                  }}
                  onCancel={() => {
                    setAdding('none');
                  }}
                />
              )}
            </div>
            {adding !== 'totp' &&
              (factors.totp ? (
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => {
                    setConfirm({ kind: 'totp' });
                  }}
                >
                  {t('factors.totpRemove')}
                </button>
              ) : (
                <button
                  type="button"
                  className="button button--primary button--small"
                  onClick={() => {
                    setStatus(null);
                    setAdding('totp');
                  }}
                >
                  {t('factors.totpAdd')}
                </button>
              ))}
          </section>

          <section className="factor" aria-labelledby="factor-passkeys">
            <span className="factor__icon">
              <Icon name="key" />
            </span>
            <div className="factor__body">
              <h3 id="factor-passkeys" className="factor__title">
                {t('factors.passkeys')}
                <span className={factors.webauthn.length > 0 ? 'pill pill--success' : 'pill'}>
                  {factors.webauthn.length > 0
                    ? t('factors.passkeyCount', { count: factors.webauthn.length })
                    : t('factors.off')}
                </span>
              </h3>
              <p className="factor__text">{t('enrol.passkey.text')}</p>
              <PasskeyList
                passkeys={factors.webauthn}
                onRemove={(passkey) => {
                  setConfirm({ kind: 'passkey', passkey });
                }}
              />
              {adding === 'passkey' && (
                <PasskeySetup
                  onRegistered={(reply) => {
                    enrolled(reply.recoveryCodes, reply.session, t('factors.passkeyAdded'));
                  }}
                  onCancel={() => {
                    setAdding('none');
                  }}
                />
              )}
            </div>
            {adding !== 'passkey' && (
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => {
                  setStatus(null);
                  setAdding('passkey');
                }}
              >
                <Icon name="plus" />
                {t('factors.passkeyAdd')}
              </button>
            )}
          </section>

          <section className="factor" aria-labelledby="factor-recovery">
            <span className="factor__icon">
              <Icon name="lock" />
            </span>
            <div className="factor__body">
              <h3 id="factor-recovery" className="factor__title">
                {t('factors.recovery')}
              </h3>
              <p className="factor__text">
                {hasFactor
                  ? t('factors.recoveryLeft', { count: factors.recoveryCodesLeft })
                  : t('factors.recoveryNone')}
              </p>
            </div>
            {hasFactor && (
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => {
                  setConfirm({ kind: 'recovery' });
                }}
              >
                {t('factors.recoveryNew')}
              </button>
            )}
          </section>
        </div>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={dialog.title}
        text={dialog.text}
        confirmLabel={dialog.confirmLabel}
        cancelLabel={t('common.cancel')}
        error={confirmError}
        onConfirm={() => {
          void runConfirmed();
        }}
        onCancel={() => {
          setConfirm(null);
          setConfirmError(null);
        }}
      />
    </section>
  );
}
