import { useState } from 'react';
import type { SessionReply } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { Icon } from '../../ui/Icons.tsx';
import { PasskeySetup } from './PasskeySetup.tsx';
import { TotpSetup } from './TotpSetup.tsx';

type Choice = 'none' | 'totp' | 'passkey';

/**
 * The enrolment step: a role of this account requires a second factor, and the session
 * can do nothing else until one is set up: an authenticator app or a passkey.
 */
export function EnrolPanel({
  onEnrolled,
  onCancel,
}: {
  /** The new recovery codes (null when none were made) and the now complete session. */
  onEnrolled: (recoveryCodes: readonly string[] | null, session: SessionReply) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<Choice>('none');

  return (
    <>
      <h1 className="auth__heading">{t('enrol.heading')}</h1>
      <p className="auth__lead">{t('enrol.lead')}</p>
      {choice === 'none' && (
        <ul className="choice-list">
          <li className="choice">
            <span className="choice__icon">
              <Icon name="phone" />
            </span>
            <span className="choice__body">
              <strong className="choice__title">{t('enrol.totp.title')}</strong>
              <span className="choice__text">{t('enrol.totp.text')}</span>
            </span>
            <button
              type="button"
              className="button button--primary button--small"
              onClick={() => {
                setChoice('totp');
              }}
            >
              {t('enrol.chooseTotp')}
            </button>
          </li>
          <li className="choice">
            <span className="choice__icon">
              <Icon name="key" />
            </span>
            <span className="choice__body">
              <strong className="choice__title">{t('enrol.passkey.title')}</strong>
              <span className="choice__text">{t('enrol.passkey.text')}</span>
            </span>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => {
                setChoice('passkey');
              }}
            >
              {t('enrol.choosePasskey')}
            </button>
          </li>
        </ul>
      )}
      {choice === 'totp' && (
        <TotpSetup
          onConfirmed={(reply) => {
            onEnrolled(reply.recoveryCodes, reply.session);
          }}
          onCancel={() => {
            setChoice('none');
          }}
        />
      )}
      {choice === 'passkey' && (
        <PasskeySetup
          defaultName={t('passkey.defaultName')}
          onRegistered={(reply) => {
            onEnrolled(reply.recoveryCodes, reply.session);
          }}
          onCancel={() => {
            setChoice('none');
          }}
        />
      )}
      <div className="auth__alternatives">
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {t('enrol.cancel')}
        </button>
      </div>
    </>
  );
}
