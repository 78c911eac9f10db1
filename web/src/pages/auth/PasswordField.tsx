import { useEffect, useId, useState } from 'react';
import type { PasswordCheckReply } from '@konvent/protocol';
import { checkPassword } from '../../api/authApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Field } from '../../ui/Field.tsx';
import { Icon } from '../../ui/Icons.tsx';
import { DEFAULT_MIN_LENGTH, problemText } from './passwordProblems.ts';

/** How long typing must pause before the policy is asked (one request per pause). */
const DEBOUNCE_MS = 350;

const SCORE_KEYS: readonly MessageKey[] = [
  'password.score.0',
  'password.score.1',
  'password.score.2',
  'password.score.3',
  'password.score.4',
];

/**
 * A new-password field with live feedback from the server's policy
 * (`/api/auth/password-check`, debounced): a strength meter and, in words, what is still
 * wrong. The server decides, so the client never ships a dictionary of its own.
 */
export function PasswordField({
  label,
  value,
  onChange,
  username,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The account's user name, which the password must not contain. */
  username?: string | undefined;
  error?: string | null | undefined;
}) {
  const { t } = useI18n();
  const feedbackId = useId();
  const [verdict, setVerdict] = useState<PasswordCheckReply | null>(null);
  const [checking, setChecking] = useState(false);

  useEffect(() => {
    if (value === '') {
      setVerdict(null);
      setChecking(false);
      return;
    }
    setChecking(true);
    let current = true;
    const timer = setTimeout(() => {
      checkPassword(value, username)
        .then((reply) => {
          if (current) setVerdict(reply);
        })
        .catch(() => {
          // Feedback only: the server checks again when the form is sent.
          if (current) setVerdict(null);
        })
        .finally(() => {
          if (current) setChecking(false);
        });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [value, username]);

  const minLength = verdict?.minLength ?? DEFAULT_MIN_LENGTH;
  const score = Math.max(0, Math.min(4, verdict?.score ?? 0));
  return (
    <Field
      label={label}
      hint={t('password.hint', { min: minLength })}
      type="password"
      autoComplete="new-password"
      value={value}
      onChange={onChange}
      error={error}
      describedBy={feedbackId}
    >
      <div id={feedbackId} className="password-feedback" role="status">
        {verdict !== null && !checking && (
          <>
            <div className="password-feedback__meter" aria-hidden="true">
              {[0, 1, 2, 3].map((step) => (
                <span
                  key={step}
                  className={
                    step < Math.max(score, 1)
                      ? `password-feedback__bar is-lit is-score-${String(score)}`
                      : 'password-feedback__bar'
                  }
                />
              ))}
            </div>
            <p className="password-feedback__strength">
              {t('password.strength', { label: t(SCORE_KEYS[score] ?? 'password.score.0') })}
            </p>
            {verdict.ok ? (
              <p className="password-feedback__ok">
                <Icon name="check" />
                {t('password.ok')}
              </p>
            ) : (
              <ul className="password-feedback__problems">
                {verdict.problems.map((problem) => (
                  <li key={problem}>{problemText(t, problem, minLength)}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </Field>
  );
}
