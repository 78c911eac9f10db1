import { useEffect, useState } from 'react';
import type { MeetingPolicy, MeetingPolicyChanges, PolicyReply } from '@konvent/protocol';
import type { MeetingSecurityApi } from '../../api/meetingSecurityApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { apiErrorKey } from '../errorMessage.ts';
import { Notice } from '../Notice.tsx';
import { changesOf, draftFrom, draftProblems, relaxationsOf } from './policyRules.ts';
import type { DraftProblems, PolicyDraft } from './policyRules.ts';
import { PolicyFields } from './PolicyFields.tsx';
import { relaxationText } from './relaxationText.ts';

/**
 * The form inside the policy dialog; mounted on opening, so every opening starts from the
 * current policy (fetched when the caller does not know it). Saving sends only what changed,
 * after a confirmation for anything that relaxes the protection.
 */
export function PolicyForm({
  policy,
  api,
  onSaved,
  onCancel,
}: {
  policy: MeetingPolicy | null;
  api: MeetingSecurityApi;
  onSaved: (reply: PolicyReply) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [current, setCurrent] = useState<MeetingPolicy | null>(policy);
  const [draft, setDraft] = useState<PolicyDraft | null>(policy && draftFrom(policy, true));
  const [problems, setProblems] = useState<DraftProblems>({});
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ changes: MeetingPolicyChanges; text: string } | null>(
    null,
  );

  useEffect(() => {
    if (current !== null) return;
    let cancelled = false;
    api.getPolicy().then(
      (reply) => {
        if (cancelled) return;
        setCurrent(reply.policy);
        setDraft(draftFrom(reply.policy, true));
      },
      (failure: unknown) => {
        if (!cancelled) setError(t(apiErrorKey(failure)));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, current, t]);

  if (current === null || draft === null) {
    return error === null ? (
      <p className="inline-loading" role="status">
        <span className="spinner" aria-hidden="true" />
        {t('app.loading')}
      </p>
    ) : (
      <Notice tone="error">{error}</Notice>
    );
  }

  const save = (changes: MeetingPolicyChanges) => {
    setBusy(true);
    setError(null);
    api.updatePolicy(changes).then(
      (reply) => {
        setBusy(false);
        onSaved(reply);
      },
      (failure: unknown) => {
        setBusy(false);
        setConfirm(null);
        setError(t(apiErrorKey(failure)));
      },
    );
  };

  const submit = () => {
    if (busy) return;
    const found = draftProblems(draft);
    setProblems(found);
    setTried(true);
    if (found.ownPasscode !== undefined || found.lockMinutes !== undefined) return;
    const changes = changesOf(draft, current);
    if (Object.keys(changes).length === 0) {
      onCancel();
      return;
    }
    const relaxations = relaxationsOf(current, changes);
    if (relaxations.length > 0) setConfirm({ changes, text: relaxationText(t, relaxations) });
    else save(changes);
  };

  return (
    <form
      className="dialog__form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <p className="dialog__text">{t('policy.intro')}</p>
      <PolicyFields
        draft={draft}
        onChange={(next) => {
          setDraft(next);
          if (tried) setProblems(draftProblems(next));
        }}
        editing
        hasPasscode={current.passcode}
        problems={problems}
      />
      {error !== null && <Notice tone="error">{error}</Notice>}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button--primary" aria-disabled={busy}>
          {t('policy.save')}
        </button>
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title={t('policy.relax.title')}
        text={confirm?.text ?? ''}
        confirmLabel={t('policy.relax.confirm')}
        cancelLabel={t('policy.relax.cancel')}
        error={null}
        onCancel={() => {
          setConfirm(null);
        }}
        onConfirm={() => {
          if (confirm !== null && !busy) save(confirm.changes);
        }}
      />
    </form>
  );
}
