import { useId, useRef, useState } from 'react';
import type { SubmitEvent } from 'react';
import type { CreateMeetingReply, MeetingPolicyChanges } from '@konvent/protocol';
import { createMeeting } from '../../api/api.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { apiErrorKey } from '../../ui/errorMessage.ts';
import { Icon } from '../../ui/Icons.tsx';
import { PolicyFields } from '../../ui/policy/PolicyFields.tsx';
import {
  changesOf,
  DEFAULT_POLICY,
  draftFrom,
  draftProblems,
  relaxationsOf,
} from '../../ui/policy/policyRules.ts';
import type { DraftProblems, PolicyDraft } from '../../ui/policy/policyRules.ts';
import { PolicySummary } from '../../ui/policy/PolicySummary.tsx';
import { relaxationText } from '../../ui/policy/relaxationText.ts';
import { CreatedMeeting } from './CreatedMeeting.tsx';

const TITLE_MAX = 200;

/**
 * The start page's card for organisers: a form that creates a meeting, with its admission
 * settings folded away at the restrictive defaults (summarised, and marked as recommended);
 * relaxing them asks first. The result shows the links, the passcode and the invitations.
 */
export function CreateMeetingCard() {
  const { t } = useI18n();
  const titleId = useId();
  const [title, setTitle] = useState('');
  const [draft, setDraft] = useState<PolicyDraft>(() => draftFrom(DEFAULT_POLICY, false));
  const [problems, setProblems] = useState<DraftProblems>({});
  const [showPolicy, setShowPolicy] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const [confirm, setConfirm] = useState<{ changes: MeetingPolicyChanges; text: string } | null>(
    null,
  );
  const [created, setCreated] = useState<CreateMeetingReply | null>(null);
  const titleInput = useRef<HTMLInputElement>(null);

  const create = async (changes: MeetingPolicyChanges) => {
    setBusy(true);
    setError(null);
    try {
      setCreated(await createMeeting(title.trim(), changes));
    } catch (err) {
      // A lost session is handled by the auth store: the page then shows the sign-in.
      setError(apiErrorKey(err));
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = draftProblems(draft);
    setProblems(found);
    if (found.ownPasscode !== undefined || found.lockMinutes !== undefined) {
      setShowPolicy(true);
      return;
    }
    const changes = changesOf(draft, DEFAULT_POLICY);
    const relaxations = relaxationsOf(DEFAULT_POLICY, changes);
    if (relaxations.length > 0) setConfirm({ changes, text: relaxationText(t, relaxations) });
    else void create(changes);
  };

  if (created) {
    return (
      <section className="card start__card" aria-labelledby="create-heading">
        <CreatedMeeting
          created={created}
          onAnother={() => {
            setCreated(null);
            setTitle('');
            setDraft(draftFrom(DEFAULT_POLICY, false));
            setShowPolicy(false);
            // The form starts over at the title.
            setTimeout(() => titleInput.current?.focus(), 0);
          }}
        />
      </section>
    );
  }

  // The untouched defaults differ from the server's only in naming the generated passcode.
  const pending = changesOf(draft, DEFAULT_POLICY);
  const isDefault = Object.keys(pending).length === 1 && pending.passcode === 'generate';
  const previewPolicy = {
    guestPolicy: draft.guestPolicy,
    passcode: draft.passcode !== 'none',
    lockAfterStartMinutes: draft.lockAfterStart ? Number(draft.lockMinutes) || null : null,
  };
  return (
    <section className="card start__card" aria-labelledby="create-heading">
      <form className="create-form" onSubmit={submit} noValidate>
        <h2 id="create-heading" className="card__title">
          {t('start.create.heading')}
        </h2>
        <div className="field">
          <label htmlFor={titleId} className="field-label">
            {t('start.create.titleLabel')}
          </label>
          <p id={`${titleId}-hint`} className="field-hint">
            {t('start.create.titleHint')}
          </p>
          <input
            ref={titleInput}
            id={titleId}
            className="input"
            type="text"
            value={title}
            maxLength={TITLE_MAX}
            autoComplete="off"
            aria-describedby={`${titleId}-hint`}
            onChange={(event) => {
              setTitle(event.target.value);
            }}
          />
        </div>
        <div className="create-form__policy">
          <div className="create-form__policy-head">
            <h3 className="create-form__policy-title">{t('start.policy.heading')}</h3>
            <button
              type="button"
              className="button button--small button--ghost"
              aria-expanded={showPolicy}
              aria-controls={`${titleId}-policy`}
              onClick={() => {
                setShowPolicy((open) => !open);
              }}
            >
              {t(showPolicy ? 'start.policy.hide' : 'start.policy.change')}
            </button>
          </div>
          {!showPolicy && (
            <>
              <PolicySummary policy={previewPolicy} label={t('start.policy.heading')} />
              <p className="create-form__policy-note">
                <Icon name={isDefault ? 'shield' : 'alert'} />
                {t(isDefault ? 'start.policy.defaults' : 'start.policy.changed')}
              </p>
            </>
          )}
          <div id={`${titleId}-policy`} hidden={!showPolicy}>
            {showPolicy && (
              <PolicyFields
                draft={draft}
                onChange={(next) => {
                  setDraft(next);
                  if (Object.keys(problems).length > 0) setProblems(draftProblems(next));
                }}
                editing={false}
                hasPasscode={false}
                problems={problems}
              />
            )}
          </div>
        </div>
        {error && (
          <p className="notice notice--error" role="alert">
            <Icon name="alert" />
            {t(error)}
          </p>
        )}
        <button type="submit" className="button button--primary button--block" aria-disabled={busy}>
          {t('start.create.submit')}
        </button>
        <p className="visually-hidden" role="status">
          {busy ? t('start.create.busy') : ''}
        </p>
      </form>
      <ConfirmDialog
        open={confirm !== null}
        title={t('policy.relax.title')}
        text={confirm?.text ?? ''}
        confirmLabel={t('start.policy.relaxConfirm')}
        cancelLabel={t('policy.relax.cancel')}
        onCancel={() => {
          setConfirm(null);
        }}
        onConfirm={() => {
          if (confirm !== null && !busy) void create(confirm.changes);
        }}
      />
    </section>
  );
}
