import { useState } from 'react';
import type { SubmitEvent } from 'react';
import type { LinkCheckReply, PasswordProblem } from '@konvent/protocol';
import { completeSetup, redeemLink } from '../../api/authApi.ts';
import { authStore } from '../../auth/session.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { navigate } from '../../routing.ts';
import { apiErrorKey, rejectedPasswordProblems } from '../../ui/errorMessage.ts';
import { Field } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { PasswordField } from './PasswordField.tsx';
import { DEFAULT_MIN_LENGTH, problemText } from './passwordProblems.ts';

const NAME_MAX = 64;

/** Heading and button of each kind of link. */
export const LINK_TEXTS: Record<
  LinkCheckReply['kind'],
  { heading: MessageKey; submit: MessageKey }
> = {
  setup: { heading: 'link.setup.heading', submit: 'link.setup.submit' },
  invite: { heading: 'link.welcome.heading', submit: 'link.welcome.submit' },
  reset: { heading: 'link.reset.heading', submit: 'link.reset.submit' },
};

/**
 * The form of a valid one-time link: name and user name for the first admin, then the
 * password (twice). On success the new session is handed to the auth store and the
 * sign-in page takes over.
 */
export function LinkForm({
  token,
  link,
  onDone,
}: {
  token: string;
  link: LinkCheckReply;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const [displayName, setDisplayName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problems, setProblems] = useState<Record<string, MessageKey | null>>({});
  const [rejected, setRejected] = useState<PasswordProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const isSetup = link.kind === 'setup';
  const accountName = isSetup ? username.trim() : (link.username ?? '');
  const until = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(link.expiresAt),
  );

  const validate = (): boolean => {
    const found: Record<string, MessageKey | null> = {
      displayName: isSetup && displayName.trim() === '' ? 'link.displayNameMissing' : null,
      username: isSetup && username.trim().length < 3 ? 'link.usernameMissing' : null,
      password: password === '' ? 'link.passwordMissing' : null,
      repeat: repeat !== password ? 'link.mismatch' : null,
    };
    setProblems(found);
    return Object.values(found).every((problem) => problem === null);
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy || !validate()) return;
    setBusy(true);
    setError(null);
    setRejected([]);
    try {
      const name = displayName.trim().slice(0, NAME_MAX);
      const session = isSetup
        ? await completeSetup({ token, username: username.trim(), displayName: name, password })
        : await redeemLink({ token, password, ...(name === '' ? {} : { displayName: name }) });
      onDone();
      authStore.accept(session);
      // The sign-in page takes over: second factor set-up for admins, else straight on.
      navigate(isSetup ? '/login?next=%2Fadmin%2Fusers' : '/login', { replace: true });
    } catch (err) {
      setRejected(rejectedPasswordProblems(err));
      setError(apiErrorKey(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 className="auth__heading">{t(LINK_TEXTS[link.kind].heading)}</h1>
      <p className="auth__lead">
        {link.kind === 'setup' && t('link.setup.lead')}
        {link.kind === 'invite' && t('link.welcome.lead', { username: accountName })}
        {link.kind === 'reset' && t('link.reset.lead', { username: accountName })}
      </p>
      <form
        className="auth__form"
        noValidate
        onSubmit={(event) => {
          void submit(event);
        }}
      >
        {link.kind !== 'reset' && (
          <Field
            label={t('link.displayName')}
            hint={t(isSetup ? 'link.displayNameHint' : 'link.displayNameOptional')}
            value={displayName}
            onChange={setDisplayName}
            type="text"
            autoComplete="name"
            maxLength={NAME_MAX}
            error={problems.displayName ? t(problems.displayName) : null}
          />
        )}
        {isSetup ? (
          <Field
            label={t('link.username')}
            hint={t('link.usernameHint')}
            value={username}
            onChange={setUsername}
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={254}
            error={problems.username ? t(problems.username) : null}
          />
        ) : (
          // Lets password managers store the new password under the right account.
          <input type="text" hidden autoComplete="username" value={accountName} readOnly />
        )}
        <PasswordField
          label={t('link.password')}
          value={password}
          onChange={setPassword}
          username={accountName}
          error={problems.password ? t(problems.password) : null}
        />
        <Field
          label={t('link.repeat')}
          value={repeat}
          onChange={setRepeat}
          type="password"
          autoComplete="new-password"
          error={problems.repeat ? t(problems.repeat) : null}
        />
        {error !== null && (
          <Notice tone="error">
            {t(error)}
            {rejected.length > 0 && (
              <span className="notice__list">
                {rejected.map((problem) => problemText(t, problem, DEFAULT_MIN_LENGTH)).join(' · ')}
              </span>
            )}
          </Notice>
        )}
        <button type="submit" className="button button--primary button--block" aria-disabled={busy}>
          {t(LINK_TEXTS[link.kind].submit)}
        </button>
        <p className="auth__footnote">{t('link.validUntil', { time: until })}</p>
        <p className="visually-hidden" role="status">
          {busy ? t('link.busy') : ''}
        </p>
      </form>
    </>
  );
}
