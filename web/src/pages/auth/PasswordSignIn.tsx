import { useEffect, useRef, useState } from 'react';
import type { SubmitEvent } from 'react';
import type { SessionReply } from '@konvent/protocol';
import { login } from '../../api/authApi.ts';
import type { SignedOutNotice } from '../../auth/AuthStore.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { apiErrorKey } from '../../ui/errorMessage.ts';
import { Field } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { ProviderButtons } from './ProviderButtons.tsx';

/** The first sign-in step: user name and password, or an identity provider. */
export function PasswordSignIn({
  notice,
  onSession,
}: {
  notice: SignedOutNotice | null;
  onSession: (session: SessionReply) => void;
}) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    if (username.trim() === '' || password === '') {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSession(await login(username.trim(), password));
    } catch (err) {
      setError(apiErrorKey(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 className="auth__heading">{t('login.heading')}</h1>
      <p className="auth__lead">{t('login.lead')}</p>
      {notice !== null && error === null && (
        <Notice tone={notice === 'signedOut' ? 'success' : 'warning'}>
          {t(notice === 'signedOut' ? 'login.signedOut' : 'login.sessionEnded')}
        </Notice>
      )}
      <form
        className="auth__form"
        noValidate
        onSubmit={(event) => {
          void submit(event);
        }}
      >
        <Field
          label={t('login.username')}
          hint={t('login.usernameHint')}
          value={username}
          onChange={(value) => {
            setUsername(value);
            setMissing(false);
          }}
          inputRef={usernameRef}
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={254}
          error={missing && username.trim() === '' ? t('login.usernameMissing') : null}
        />
        <Field
          label={t('login.password')}
          value={password}
          onChange={(value) => {
            setPassword(value);
            setMissing(false);
          }}
          type="password"
          autoComplete="current-password"
          maxLength={256}
          error={missing && password === '' ? t('login.passwordMissing') : null}
        />
        {error !== null && <Notice tone="error">{t(error)}</Notice>}
        <button type="submit" className="button button--primary button--block" aria-disabled={busy}>
          {t('login.submit')}
        </button>
        <p className="visually-hidden" role="status">
          {busy ? t('login.busy') : ''}
        </p>
      </form>
      <ProviderButtons />
      <p className="auth__footnote">{t('login.forgotten')}</p>
    </>
  );
}
