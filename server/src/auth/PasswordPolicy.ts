import type { PasswordCheckReply, PasswordProblem } from '@konvent/protocol';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as de from '@zxcvbn-ts/language-de';
import * as en from '@zxcvbn-ts/language-en';

/** The policy's numbers; NIST SP 800-63B: length and blocklists, no composition rules. */
export interface PasswordPolicyOptions {
  /** Minimum length in characters (default 12). */
  readonly minLength: number;
  /** Lowest acceptable zxcvbn score 0–4 (default 3: "safely unguessable"). */
  readonly minScore: number;
}

const DEFAULTS: PasswordPolicyOptions = { minLength: 12, minScore: 3 };
const MAX_LENGTH = 256;

/**
 * Decides whether a new password may be used: long enough, not a common or leaked password
 * (zxcvbn-ts's dictionaries: the common-password list plus German and English words and
 * names, shipped as npm packages, no network), not guessable from patterns, and not built
 * from the user name. No composition rules ("one digit, one symbol"): they make passwords
 * harder to remember, not to guess.
 */
export class PasswordPolicy {
  readonly options: PasswordPolicyOptions;

  constructor(options: Partial<PasswordPolicyOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The verdict on `password` for the user `username` (and other words the user gave). */
  check(password: string, userInputs: readonly string[] = []): PasswordCheckReply {
    const problems: PasswordProblem[] = [];
    // Code points, not UTF-16 units: an emoji counts as one character, as people count it.
    const length = Array.from(password).length;
    if (length < this.options.minLength) problems.push('too_short');
    if (length > MAX_LENGTH) problems.push('too_long');
    // zxcvbn's cost grows with length; the first 100 characters decide its verdict.
    const sample = password.slice(0, 100);
    const inputs = userInputs.flatMap(words).filter((word) => word.length >= 3);
    const result = estimator().check(sample, inputs);
    const lower = password.toLowerCase();
    if (inputs.some((word) => word.length >= 4 && lower.includes(word))) {
      problems.push('contains_username');
    }
    const wholeDictionaryWord = result.sequence.some((match) => {
      // zxcvbn-ts types the name loosely; its leaked-password list is `passwords-common`.
      const dictionary: unknown = match.pattern === 'dictionary' ? match.dictionaryName : undefined;
      return (
        typeof dictionary === 'string' &&
        dictionary.startsWith('passwords') &&
        match.token.length >= sample.length - 2
      );
    });
    if (wholeDictionaryWord) problems.push('too_common');
    else if (result.score < this.options.minScore) problems.push('too_guessable');
    return {
      ok: problems.length === 0,
      score: result.score,
      problems,
      minLength: this.options.minLength,
    };
  }
}

let shared: ZxcvbnFactory | undefined;

/**
 * The estimator, built on first use and shared: building its dictionaries takes about a
 * second, which a server start (and every test server) should not pay before anyone
 * chooses a password.
 */
function estimator(): ZxcvbnFactory {
  shared ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, ...de.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return shared;
}

/** A user name and its parts (`anna.schmidt@example.org` → also `anna`, `schmidt`, …). */
function words(input: string): string[] {
  const lower = input.toLowerCase();
  return [lower, ...lower.split(/[^\p{L}\p{N}]+/u)];
}
