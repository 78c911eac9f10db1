import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  CreateInvitationBody,
  CreateInvitationReply,
  InvitationView,
} from '@konvent/protocol';
import type { MeetingSecurityApi } from '../api/meetingSecurityApi.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Dialog } from './Dialog.tsx';
import { apiErrorKey } from './errorMessage.ts';
import { Icon } from './Icons.tsx';
import { InvitationForm } from './invitations/InvitationForm.tsx';
import { InvitationList } from './invitations/InvitationList.tsx';
import { InvitationResult } from './invitations/InvitationResult.tsx';
import { Notice } from './Notice.tsx';

type View = 'list' | 'create' | 'result';

/**
 * Personal invitations of one meeting, for its moderators (in the meeting) and its organiser
 * (on the start page): the list with each invitation's state, a form for a new one, its
 * link and PIN shown once, and revoking with a confirmation. Who calls is in `api`.
 */
export function InvitationsDialog({
  open,
  api,
  onClose,
}: {
  open: boolean;
  api: MeetingSecurityApi;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [view, setView] = useState<View>('list');
  const [invitations, setInvitations] = useState<readonly InvitationView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreateInvitationReply | null>(null);
  const [revoking, setRevoking] = useState<InvitationView | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const newButton = useRef<HTMLButtonElement>(null);

  const load = useCallback(() => {
    setLoadError(null);
    api.listInvitations().then(
      (reply) => {
        setInvitations(reply.invitations);
      },
      (failure: unknown) => {
        setLoadError(t(apiErrorKey(failure)));
      },
    );
  }, [api, t]);

  useEffect(() => {
    if (open) load();
  }, [open, load]);

  const showList = () => {
    setView('list');
    setFormError(null);
    requestAnimationFrame(() => newButton.current?.focus());
  };

  const close = () => {
    setView('list');
    setCreated(null);
    setFormError(null);
    setRevoking(null);
    onClose();
  };

  const create = (body: CreateInvitationBody) => {
    setBusy(true);
    setFormError(null);
    api.createInvitation(body).then(
      (reply) => {
        setBusy(false);
        setCreated(reply);
        setInvitations((list) => [reply.invitation, ...(list ?? [])]);
        setView('result');
      },
      (failure: unknown) => {
        setBusy(false);
        setFormError(t(apiErrorKey(failure)));
      },
    );
  };

  const revoke = () => {
    if (revoking === null) return;
    const target = revoking;
    api.revokeInvitation(target.id).then(
      () => {
        setRevoking(null);
        setInvitations((list) =>
          (list ?? []).map((i) => (i.id === target.id ? { ...i, revoked: true } : i)),
        );
        setAnnouncement(t('invitations.revoked', { label: target.label }));
        requestAnimationFrame(() => newButton.current?.focus());
      },
      (failure: unknown) => {
        setRevokeError(t(apiErrorKey(failure)));
      },
    );
  };

  return (
    <Dialog
      open={open}
      title={t(view === 'create' ? 'invitations.createTitle' : 'invitations.title')}
      onClose={close}
      wide
    >
      {view === 'create' && (
        <InvitationForm busy={busy} error={formError} onSubmit={create} onCancel={showList} />
      )}
      {view === 'result' && created !== null && (
        <InvitationResult
          created={created}
          onAnother={() => {
            setCreated(null);
            setView('create');
          }}
          onDone={() => {
            setCreated(null);
            showList();
          }}
        />
      )}
      {view === 'list' && (
        <div className="invitations">
          <p className="dialog__text">{t('invitations.intro')}</p>
          <button
            ref={newButton}
            type="button"
            className="button button--primary invitations__new"
            onClick={() => {
              setView('create');
            }}
          >
            <Icon name="plus" />
            {t('invitations.new')}
          </button>
          {loadError !== null && <Notice tone="error">{loadError}</Notice>}
          {invitations === null && loadError === null && (
            <p className="inline-loading" role="status">
              <span className="spinner" aria-hidden="true" />
              {t('app.loading')}
            </p>
          )}
          {invitations !== null && invitations.length === 0 && (
            <p className="invitations__empty">{t('invitations.empty')}</p>
          )}
          {invitations !== null && invitations.length > 0 && (
            <InvitationList
              invitations={invitations}
              onRevoke={(invitation) => {
                setRevokeError(null);
                setRevoking(invitation);
              }}
            />
          )}
          <div className="dialog__actions">
            <button type="button" className="button button--secondary" onClick={close}>
              {t('common.close')}
            </button>
          </div>
        </div>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <ConfirmDialog
        open={revoking !== null}
        title={t('invitations.revokeTitle', { label: revoking?.label ?? '' })}
        text={t('invitations.revokeText')}
        confirmLabel={t('invitations.revoke')}
        cancelLabel={t('common.cancel')}
        error={revokeError}
        onCancel={() => {
          setRevoking(null);
        }}
        onConfirm={revoke}
      />
    </Dialog>
  );
}
