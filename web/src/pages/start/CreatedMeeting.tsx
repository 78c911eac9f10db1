import { useEffect, useMemo, useRef, useState } from 'react';
import type { CreateMeetingReply } from '@konvent/protocol';
import { meetingSecurityApi } from '../../api/meetingSecurityApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import { navigate } from '../../routing.ts';
import { CopyField } from '../../ui/CopyField.tsx';
import { Icon } from '../../ui/Icons.tsx';
import { InvitationsDialog } from '../../ui/InvitationsDialog.tsx';
import { PolicySummary } from '../../ui/policy/PolicySummary.tsx';

/** Opens a link of this deployment inside the app, or as a normal navigation otherwise. */
function openLink(link: string): void {
  const url = new URL(link, window.location.origin);
  if (url.origin === window.location.origin) navigate(url.pathname + url.search + url.hash);
  else window.location.assign(url.href);
}

/**
 * A meeting just created: its two links, the generated passcode (shown this once; guests
 * need it with the participant link), its admission settings in short, and the way to
 * personal invitations, which the organiser manages with their account session.
 */
export function CreatedMeeting({
  created,
  onAnother,
}: {
  created: CreateMeetingReply;
  onAnother: () => void;
}) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const invitationsButton = useRef<HTMLButtonElement>(null);
  const [invitationsOpen, setInvitationsOpen] = useState(false);
  const api = useMemo(() => meetingSecurityApi(created.meetingId, 'organiser'), [created]);

  useEffect(() => {
    // Screen reader and keyboard users land on the result they just asked for.
    heading.current?.focus();
  }, []);

  const guestsWait = created.policy.guestPolicy !== 'always_accept';
  return (
    <div className="result">
      <h2 id="create-heading" className="card__title" tabIndex={-1} ref={heading}>
        <Icon name="check" className="result__check" />
        {t('start.result.heading')}
      </h2>
      <p className="card__text">
        {created.title && <strong className="result__title">{created.title}</strong>}
        {t(guestsWait ? 'start.result.introLobby' : 'start.result.intro')}
      </p>
      <CopyField
        label={t('start.result.moderatorLink')}
        hint={t('start.result.moderatorHint')}
        value={created.moderatorLink}
        copyLabel={t('start.result.copyModerator')}
        tone="caution"
      />
      <CopyField
        label={t('start.result.participantLink')}
        hint={t(
          created.passcode === undefined
            ? 'start.result.participantHint'
            : 'start.result.participantHintPasscode',
        )}
        value={created.participantLink}
        copyLabel={t('start.result.copyParticipant')}
      />
      {created.passcode !== undefined && (
        <CopyField
          label={t('start.result.passcode')}
          hint={t('start.result.passcodeHint')}
          value={created.passcode}
          copyLabel={t('start.result.copyPasscode')}
          tone="caution"
        />
      )}
      <PolicySummary policy={created.policy} label={t('start.policy.heading')} />
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            openLink(created.moderatorLink);
          }}
        >
          {t('start.result.join')}
        </button>
        <button
          ref={invitationsButton}
          type="button"
          className="button button--secondary"
          aria-haspopup="dialog"
          onClick={() => {
            setInvitationsOpen(true);
          }}
        >
          <Icon name="key" />
          {t('lobby.admission.invitations')}
        </button>
        <button type="button" className="button button--ghost" onClick={onAnother}>
          {t('start.result.another')}
        </button>
      </div>
      <InvitationsDialog
        open={invitationsOpen}
        api={api}
        onClose={() => {
          setInvitationsOpen(false);
          requestAnimationFrame(() => invitationsButton.current?.focus());
        }}
      />
    </div>
  );
}
