import { useId, useRef, useState } from 'react';
import type { SubmitEvent } from 'react';
import type { CheckLinkReply, JoinReply } from '@konvent/protocol';
import { ApiError } from '../../api/ApiError.ts';
import { joinMeeting } from '../../api/api.ts';
import { authStore } from '../../auth/session.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { errorMessageKey } from '../../ui/errorMessage.ts';
import { Icon } from '../../ui/Icons.tsx';
import { Notice } from '../../ui/Notice.tsx';

const NAME_MAX = 64;
const SECRET_MIN = 6;
const SECRET_MAX = 64;
// Mirrors the protocol's DisplayName and Passcode rules: no control characters.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/u;

/** The texts of the secret field, by what the link check asked for. */
const SECRET_TEXTS: Record<
  'passcode' | 'pin',
  { label: MessageKey; hint: MessageKey; missing: MessageKey; wrong: MessageKey }
> = {
  passcode: {
    label: 'prejoin.passcode',
    hint: 'prejoin.passcodeHint',
    missing: 'prejoin.passcodeMissing',
    wrong: 'prejoin.passcodeWrong',
  },
  pin: {
    label: 'prejoin.pin',
    hint: 'prejoin.pinHint',
    missing: 'prejoin.pinMissing',
    wrong: 'prejoin.pinWrong',
  },
};

/**
 * The join form of the pre-join page: my name, the meeting passcode or the invitation's PIN
 * when the link needs one, a notice when a moderator must admit me first, and the join
 * button. A wrong passcode keeps the form (with the field marked); too many attempts and
 * refusals are explained. `onJoined` gets the server's answer (admitted or waiting).
 */
export function JoinForm({
  meetingId,
  token,
  info,
  initialName,
  onJoined,
  onEnded,
  onInvalid,
  onNameChange,
}: {
  meetingId: string;
  token: string;
  info: CheckLinkReply;
  initialName: string;
  onJoined: (reply: JoinReply, displayName: string) => void;
  onEnded: () => void;
  onInvalid: () => void;
  onNameChange: (name: string) => void;
}) {
  const { t } = useI18n();
  const nameId = useId();
  const secretId = useId();
  const [name, setName] = useState(initialName);
  const [nameError, setNameError] = useState(false);
  const [secret, setSecret] = useState('');
  const [secretError, setSecretError] = useState<MessageKey | null>(null);
  const [joinError, setJoinError] = useState<MessageKey | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  const secretTexts = info.secret === 'none' ? null : SECRET_TEXTS[info.secret];

  const failSecret = (key: MessageKey) => {
    setSecretError(key);
    // Selected, so the next attempt simply types over the wrong one.
    secretRef.current?.focus();
    secretRef.current?.select();
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const displayName = name.trim();
    const badName =
      !displayName || displayName.length > NAME_MAX || CONTROL_CHARS.test(displayName);
    setNameError(badName);
    // Copied passcodes often bring a space along; nobody means one at either end.
    const given = secret.trim();
    let secretProblem: MessageKey | null = null;
    if (secretTexts) {
      if (given === '') secretProblem = secretTexts.missing;
      else if (given.length < SECRET_MIN || CONTROL_CHARS.test(given)) {
        secretProblem = 'prejoin.secretShort';
      }
    }
    setSecretError(secretProblem);
    if (badName) {
      nameRef.current?.focus();
      return;
    }
    if (secretProblem) {
      secretRef.current?.focus();
      return;
    }
    setJoinError(null);
    setBusy(true);
    try {
      const reply = await joinMeeting(
        meetingId,
        token,
        displayName,
        secretTexts ? given : undefined,
      );
      onJoined(reply, displayName);
    } catch (error) {
      setBusy(false);
      const code = error instanceof ApiError ? error.code : null;
      if (code === 'meeting_ended') onEnded();
      else if (code === 'not_found') onInvalid();
      else if (code === 'invalid_credentials' && secretTexts) failSecret(secretTexts.wrong);
      else if (code === 'rate_limited') setJoinError('prejoin.tooManyAttempts');
      else if (code === 'forbidden') setJoinError('prejoin.forbidden');
      else if (code === 'unauthenticated' && info.signIn) {
        // The account session ended meanwhile: the page falls back to the sign-in card.
        await authStore.refresh().catch(() => undefined);
        setJoinError('prejoin.signInAgain');
      } else setJoinError(errorMessageKey(error));
    }
  };

  return (
    <form
      className="join-form"
      noValidate
      onSubmit={(event) => {
        void submit(event);
      }}
    >
      <div className="field">
        <label htmlFor={nameId} className="field-label">
          {t('prejoin.nameLabel')}
        </label>
        <p id={`${nameId}-hint`} className="field-hint">
          {t('prejoin.nameHint')}
        </p>
        <input
          ref={nameRef}
          id={nameId}
          className="input"
          type="text"
          value={name}
          maxLength={NAME_MAX}
          autoComplete="name"
          required
          aria-invalid={nameError}
          aria-describedby={nameError ? `${nameId}-hint ${nameId}-error` : `${nameId}-hint`}
          onChange={(event) => {
            setName(event.target.value);
            onNameChange(event.target.value);
            if (nameError) setNameError(false);
          }}
        />
        {nameError && (
          <p id={`${nameId}-error`} className="field-error">
            <Icon name="alert" />
            {t('prejoin.nameRequired')}
          </p>
        )}
      </div>
      {secretTexts && (
        <div className="field">
          <label htmlFor={secretId} className="field-label">
            {t(secretTexts.label)}
          </label>
          <p id={`${secretId}-hint`} className="field-hint">
            {t(secretTexts.hint)}
          </p>
          <input
            ref={secretRef}
            id={secretId}
            className="input input--secret"
            type="text"
            value={secret}
            maxLength={SECRET_MAX}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            aria-invalid={secretError !== null}
            aria-describedby={
              secretError ? `${secretId}-hint ${secretId}-error` : `${secretId}-hint`
            }
            onChange={(event) => {
              setSecret(event.target.value);
              if (secretError) setSecretError(null);
            }}
          />
          {secretError && (
            <p id={`${secretId}-error`} className="field-error" role="alert">
              <Icon name="alert" />
              {t(secretError)}
            </p>
          )}
        </div>
      )}
      {info.lobby && (
        <Notice tone="info" className="join-form__lobby">
          {t('prejoin.lobbyNotice')}
        </Notice>
      )}
      {joinError && <Notice tone="error">{t(joinError)}</Notice>}
      <button type="submit" className="button button--primary button--block" aria-disabled={busy}>
        {t('prejoin.join')}
      </button>
      <p className="visually-hidden" role="status">
        {busy ? t('prejoin.joining') : ''}
      </p>
    </form>
  );
}
