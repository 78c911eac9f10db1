import type { PasswordProblem } from '@konvent/protocol';
import type { MessageParams } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';

/**
 * The server's default minimum length, for wording a refusal before the live check has
 * answered; the check reports the configured value, which wins wherever it is known.
 */
export const DEFAULT_MIN_LENGTH = 12;

/** The words for a password problem; `too_short` names the minimum length. */
export function problemText(
  t: (key: MessageKey, params?: MessageParams) => string,
  problem: PasswordProblem,
  minLength: number,
): string {
  return t(`password.problem.${problem}`, { min: minLength });
}
