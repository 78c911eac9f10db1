import type { DraftProblems, PolicyDraft } from './policyRules.ts';
import { GuestPolicyChoice } from './GuestPolicyChoice.tsx';
import { LockAfterStartField } from './LockAfterStartField.tsx';
import { PasscodeChoiceField } from './PasscodeChoiceField.tsx';

/**
 * The admission policy as form fields (guest policy, passcode, lock after start), for the
 * moderators' policy dialog (`editing`) and the start page's create form. Controlled: the
 * owner keeps the draft, checks it and decides what relaxing needs.
 */
export function PolicyFields({
  draft,
  onChange,
  editing,
  hasPasscode,
  problems,
}: {
  draft: PolicyDraft;
  onChange: (draft: PolicyDraft) => void;
  editing: boolean;
  /** Whether the meeting has a passcode now (editing only). */
  hasPasscode: boolean;
  /** Shown once the owner tried to save. */
  problems: DraftProblems;
}) {
  const set = (patch: Partial<PolicyDraft>) => {
    onChange({ ...draft, ...patch });
  };
  return (
    <div className="policy-fields">
      <GuestPolicyChoice
        value={draft.guestPolicy}
        onChange={(guestPolicy) => {
          set({ guestPolicy });
        }}
      />
      <PasscodeChoiceField
        editing={editing}
        hasPasscode={hasPasscode}
        value={draft.passcode}
        own={draft.ownPasscode}
        ownError={problems.ownPasscode}
        onChange={(passcode) => {
          set({ passcode });
        }}
        onOwnChange={(ownPasscode) => {
          set({ ownPasscode });
        }}
      />
      <LockAfterStartField
        enabled={draft.lockAfterStart}
        minutes={draft.lockMinutes}
        error={problems.lockMinutes}
        onEnabledChange={(lockAfterStart) => {
          set({ lockAfterStart });
        }}
        onMinutesChange={(lockMinutes) => {
          set({ lockMinutes });
        }}
      />
    </div>
  );
}
