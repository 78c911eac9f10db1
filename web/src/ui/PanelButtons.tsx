import { useI18n } from '../i18n/I18n.tsx';
import { PanelButton } from './PanelButton.tsx';

/** The meeting's side panels. */
export type Panel = 'participants' | 'chat' | 'minutes' | 'lobby';

/**
 * The toolbar buttons that open the side panels: participants (with the count), chat (with
 * unread messages), minutes and, for moderators, the waiting room (with how many wait, highlighted).
 */
export function PanelButtons({
  panel,
  onToggle,
  buttonRef,
  count,
  unread,
  waiting,
  isModerator,
}: {
  panel: Panel | null;
  onToggle: (panel: Panel) => void;
  /** Hands each button to the page, which returns focus to it when its panel closes. */
  buttonRef: (panel: Panel, element: HTMLButtonElement | null) => void;
  count: number;
  unread: number;
  waiting: number;
  isModerator: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <PanelButton
        icon="users"
        label={t('meeting.participants')}
        pressed={panel === 'participants'}
        controls="panel-participants"
        buttonRef={(element) => {
          buttonRef('participants', element);
        }}
        badge={String(count)}
        onClick={() => {
          onToggle('participants');
        }}
      />
      <PanelButton
        icon="chat"
        label={t('meeting.chat')}
        pressed={panel === 'chat'}
        controls="panel-chat"
        buttonRef={(element) => {
          buttonRef('chat', element);
        }}
        badge={unread > 0 ? String(unread) : null}
        badgeLabel={unread > 0 ? t('chat.unread', { count: unread }) : null}
        attention={unread > 0}
        onClick={() => {
          onToggle('chat');
        }}
      />
      <PanelButton
        icon="notes"
        label={t('minutes.button')}
        pressed={panel === 'minutes'}
        controls="panel-minutes"
        buttonRef={(element) => {
          buttonRef('minutes', element);
        }}
        badge={null}
        onClick={() => {
          onToggle('minutes');
        }}
      />
      {isModerator && (
        <PanelButton
          icon="door"
          label={t('lobby.panel.button')}
          pressed={panel === 'lobby'}
          controls="panel-lobby"
          buttonRef={(element) => {
            buttonRef('lobby', element);
          }}
          badge={waiting > 0 ? String(waiting) : null}
          badgeLabel={waiting > 0 ? t('lobby.panel.waiting', { count: waiting }) : null}
          attention={waiting > 0}
          onClick={() => {
            onToggle('lobby');
          }}
        />
      )}
    </>
  );
}
