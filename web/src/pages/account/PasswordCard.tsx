import { useState } from 'react';
import type { SubmitEvent } from 'react';
import type { PasswordProblem, SessionReply } from '@konvent/protocol';
import { changePassword } from '../../api/authApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { apiErrorKey, errorCode, rejectedPasswordProblems } from '../../ui/errorMessage.ts';
import { Field } from '../../ui/Field.tsx';
import { Icon } from '../../ui/Icons.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { PasswordField } from '../auth/PasswordField.tsx';
import { DEFAULT_MIN_LENGTH, problemText } from '../auth/passwordProblems.ts';

/**
 * Changes the password of a local account (current password, new one twice, with the
 * policy's live feedback). Accounts of an identity provider change it there.
 */
export function PasswordCard({ session }: { session: SessionReply }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, MessageKey | null>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const [rejected, setRejected] = useState<PasswordProblem[]>([]);
  const [done, setDone] = useState(false);
  const local = session.account.source === 'local';

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, MessageKey | null> = {
      current: current === '' ? 'changePassword.currentMissing' : null,
      next: next === '' ? 'link.passwordMissing' : null,
      repeat: repeat !== next ? 'link.mismatch' : null,
    };
    setFieldErrors(found);
    if (Object.values(found).some((problem) => problem !== null)) return;
    setBusy(true);
    setError(null);
    setRejected([]);
    setDone(false);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    } catch (err) {
      // A wrong current password is the likely mistake here; say so, not "wrong user name".
      setError(
        errorCode(err) === 'invalid_credentials' ? 'changePassword.wrongCurrent' : apiErrorKey(err),
      );
      setRejected(rejectedPasswordProblems(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card console__card" aria-labelledby="password-heading">
      <h2 id="password-heading" className="card__title">
        <Icon name="lock" />
        {t('changePassword.heading')}
      </h2>
      {!local ? (
        <p className="card__text">{t('changePassword.external')}</p>
      ) : (
        <form
          className="console__form"
          noValidate
          onSubmit={(event) => {
            void submit(event);
          }}
        >
          <input
            type="text"
            hidden
            autoComplete="username"
            value={session.account.username}
            readOnly
          />
          <Field
            label={t('changePassword.current')}
            value={current}
            onChange={setCurrent}
            type="password"
            autoComplete="current-password"
            error={fieldErrors.current ? t(fieldErrors.current) : null}
          />
          <PasswordField
            label={t('changePassword.new')}
            value={next}
            onChange={setNext}
            username={session.account.username}
            error={fieldErrors.next ? t(fieldErrors.next) : null}
          />
          <Field
            label={t('changePassword.repeat')}
            value={repeat}
            onChange={setRepeat}
            type="password"
            autoComplete="new-password"
            error={fieldErrors.repeat ? t(fieldErrors.repeat) : null}
          />
          {error !== null && (
            <Notice tone="error">
              {t(error)}
              {rejected.length > 0 && (
                <span className="notice__list">
                  {rejected
                    .map((problem) => problemText(t, problem, DEFAULT_MIN_LENGTH))
                    .join(' · ')}
                </span>
              )}
            </Notice>
          )}
          {done && <Notice tone="success">{t('changePassword.done')}</Notice>}
          <button type="submit" className="button button--primary" aria-disabled={busy}>
            {t('changePassword.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
