import { useRef, useState } from 'react';
import type { MeetingPolicy } from '@konvent/protocol';
import type { MeetingSecurityApi } from '../../api/meetingSecurityApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { DeskSnapshot, ModerationDesk } from '../../media/ModerationDesk.ts';
import { Icon } from '../Icons.tsx';
import { InvitationsDialog } from '../InvitationsDialog.tsx';
import { PolicyDialog } from '../policy/PolicyDialog.tsx';
import { PolicySummary } from '../policy/PolicySummary.tsx';
import { LobbyMessageForm } from './LobbyMessageForm.tsx';
import { LobbyQueue } from './LobbyQueue.tsx';

/** The lobby commands the panel needs; the server checks the right on every one. */
export type LobbyCommands = Pick<
  ModerationDesk,
  'admit' | 'deny' | 'setLobbyMessage' | 'setPolicy'
>;

/**
 * The moderators' waiting-room panel: who waits (admit or deny each, or all), the message
 * people waiting see, and the meeting's admission settings with the buttons for the policy
 * and for personal invitations.
 */
export function LobbyPanel({
  desk,
  commands,
  api,
}: {
  desk: DeskSnapshot;
  commands: LobbyCommands;
  api: MeetingSecurityApi;
}) {
  const { t } = useI18n();
  const [dialog, setDialog] = useState<'policy' | 'invitations' | null>(null);
  const policyButton = useRef<HTMLButtonElement>(null);
  const invitationsButton = useRef<HTMLButtonElement>(null);

  const closeDialog = () => {
    const back = dialog === 'policy' ? policyButton : invitationsButton;
    setDialog(null);
    requestAnimationFrame(() => back.current?.focus());
  };

  return (
    <div className="side-panel__body lobby-panel">
      <LobbyQueue
        waiting={desk.waiting}
        onAdmit={(selection) => commands.admit(selection)}
        onDeny={(selection) => commands.deny(selection)}
      />
      <LobbyMessageForm
        current={desk.lobbyMessage}
        onSave={(text) => commands.setLobbyMessage(text)}
      />
      <section className="lobby-section" aria-labelledby="lobby-admission-heading">
        <h3 id="lobby-admission-heading" className="lobby-section__title">
          {t('lobby.admission.heading')}
        </h3>
        {desk.policy !== null && (
          <PolicySummary policy={desk.policy} label={t('lobby.admission.heading')} />
        )}
        <div className="lobby-section__buttons">
          <button
            ref={policyButton}
            type="button"
            className="button button--small button--secondary"
            aria-haspopup="dialog"
            onClick={() => {
              setDialog('policy');
            }}
          >
            <Icon name="shield" />
            {t('lobby.admission.change')}
          </button>
          <button
            ref={invitationsButton}
            type="button"
            className="button button--small button--secondary"
            aria-haspopup="dialog"
            onClick={() => {
              setDialog('invitations');
            }}
          >
            <Icon name="key" />
            {t('lobby.admission.invitations')}
          </button>
        </div>
      </section>
      <PolicyDialog
        open={dialog === 'policy'}
        policy={desk.policy}
        api={api}
        onSaved={(policy: MeetingPolicy) => {
          commands.setPolicy(policy);
        }}
        onClose={closeDialog}
      />
      <InvitationsDialog open={dialog === 'invitations'} api={api} onClose={closeDialog} />
    </div>
  );
}
