import type { GuestPolicy, MeetingPolicy, MeetingPolicyChanges } from '@konvent/protocol';
import type { MessageKey } from '../../i18n/en.ts';

/** The guest policies from the strictest to the most open; moving down the list relaxes. */
export const GUEST_POLICIES: readonly GuestPolicy[] = [
  'always_deny',
  'ask_moderator',
  'accept_signed_in',
  'always_accept',
];

/** The server's defaults for a new meeting (R8: restrictive), shown as the recommendation. */
export const DEFAULT_POLICY: MeetingPolicy = {
  guestPolicy: 'ask_moderator',
  passcode: true,
  lockAfterStartMinutes: 10,
};

/** The title and plain-language explanation of each guest policy. */
export const GUEST_POLICY_TEXTS: Record<GuestPolicy, { label: MessageKey; text: MessageKey }> = {
  always_deny: { label: 'policy.guest.always_deny', text: 'policy.guest.always_deny.text' },
  ask_moderator: { label: 'policy.guest.ask_moderator', text: 'policy.guest.ask_moderator.text' },
  accept_signed_in: {
    label: 'policy.guest.accept_signed_in',
    text: 'policy.guest.accept_signed_in.text',
  },
  always_accept: { label: 'policy.guest.always_accept', text: 'policy.guest.always_accept.text' },
};

/**
 * What to do with the passcode: keep the current state (only when editing), let the server
 * generate one, set one of my own, or have none.
 */
export type PasscodeChoice = 'keep' | 'generate' | 'own' | 'none';

/** The policy form's state, as typed (minutes stay text until saved). */
export interface PolicyDraft {
  guestPolicy: GuestPolicy;
  passcode: PasscodeChoice;
  ownPasscode: string;
  lockAfterStart: boolean;
  lockMinutes: string;
}

/** Problems in a draft, by field. */
export interface DraftProblems {
  ownPasscode?: MessageKey;
  lockMinutes?: MessageKey;
}

/** The shortest own passcode the protocol accepts. */
export const PASSCODE_MIN = 6;
/** The longest own passcode the protocol accepts. */
export const PASSCODE_MAX = 64;
/** The latest automatic lock the protocol accepts, in minutes after the start (a day). */
export const LOCK_MINUTES_MAX = 1440;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/u;

/** The form state for `policy`: editing keeps the passcode, creating generates one. */
export function draftFrom(policy: MeetingPolicy, editing: boolean): PolicyDraft {
  return {
    guestPolicy: policy.guestPolicy,
    passcode: editing ? 'keep' : policy.passcode ? 'generate' : 'none',
    ownPasscode: '',
    lockAfterStart: policy.lockAfterStartMinutes !== null,
    lockMinutes: String(policy.lockAfterStartMinutes ?? DEFAULT_POLICY.lockAfterStartMinutes),
  };
}

/** What is wrong with a draft; empty when it can be saved. */
export function draftProblems(draft: PolicyDraft): DraftProblems {
  const problems: DraftProblems = {};
  if (draft.passcode === 'own') {
    const own = draft.ownPasscode.trim();
    if (own.length < PASSCODE_MIN || own.length > PASSCODE_MAX || CONTROL_CHARS.test(own)) {
      problems.ownPasscode = 'policy.passcode.ownInvalid';
    }
  }
  if (draft.lockAfterStart && lockMinutesOf(draft) === null) {
    problems.lockMinutes = 'policy.lock.minutesInvalid';
  }
  return problems;
}

function lockMinutesOf(draft: PolicyDraft): number | null {
  if (!/^\d{1,4}$/.test(draft.lockMinutes.trim())) return null;
  const minutes = Number(draft.lockMinutes.trim());
  return minutes >= 1 && minutes <= LOCK_MINUTES_MAX ? minutes : null;
}

/**
 * The changes a valid draft makes to `current`: only what differs (all of it when
 * creating, where `current` is the default).
 */
export function changesOf(draft: PolicyDraft, current: MeetingPolicy): MeetingPolicyChanges {
  const changes: MeetingPolicyChanges = {};
  if (draft.guestPolicy !== current.guestPolicy) changes.guestPolicy = draft.guestPolicy;
  if (draft.passcode === 'generate') changes.passcode = 'generate';
  else if (draft.passcode === 'own') changes.passcode = draft.ownPasscode.trim();
  else if (draft.passcode === 'none' && current.passcode) changes.passcode = 'none';
  const minutes = draft.lockAfterStart ? lockMinutesOf(draft) : null;
  if (minutes !== current.lockAfterStartMinutes) changes.lockAfterStartMinutes = minutes;
  return changes;
}

/** One way a change makes the meeting easier to enter, with what the sentence needs. */
export type Relaxation =
  | { kind: 'guestPolicy'; from: GuestPolicy; to: GuestPolicy }
  | { kind: 'passcode' }
  | { kind: 'lockOff' }
  | { kind: 'lockLater'; from: number; to: number };

/**
 * The ways `changes` relax `current`: a more open guest policy, removing the passcode,
 * turning the automatic lock off or moving it later. Relaxing asks for confirmation.
 */
export function relaxationsOf(current: MeetingPolicy, changes: MeetingPolicyChanges): Relaxation[] {
  const found: Relaxation[] = [];
  const to = changes.guestPolicy;
  if (
    to !== undefined &&
    GUEST_POLICIES.indexOf(to) > GUEST_POLICIES.indexOf(current.guestPolicy)
  ) {
    found.push({ kind: 'guestPolicy', from: current.guestPolicy, to });
  }
  if (changes.passcode === 'none' && current.passcode) found.push({ kind: 'passcode' });
  const before = current.lockAfterStartMinutes;
  const after = changes.lockAfterStartMinutes;
  if (before !== null && after === null) found.push({ kind: 'lockOff' });
  else if (before !== null && after !== undefined && after !== null && after > before) {
    found.push({ kind: 'lockLater', from: before, to: after });
  }
  return found;
}
