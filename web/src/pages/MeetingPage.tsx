import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { Participant } from '@konvent/protocol';
import { meetingSecurityApi } from '../api/meetingSecurityApi.ts';
import { useI18n } from '../i18n/I18n.tsx';
import type { LocalMedia } from '../media/LocalMedia.ts';
import type { MeetingClient } from '../media/MeetingClient.ts';
import { AudioSink } from '../ui/AudioSink.tsx';
import type { RemoteAudio } from '../ui/AudioSink.tsx';
import { ChatPanel } from '../ui/ChatPanel.tsx';
import { ConnectionBanner } from '../ui/ConnectionBanner.tsx';
import { Icon } from '../ui/Icons.tsx';
import { LanguageSelect } from '../ui/LanguageSelect.tsx';
import { LobbyPanel } from '../ui/lobby/LobbyPanel.tsx';
import { LogoMark } from '../ui/Logo.tsx';
import { MediaToggle } from '../ui/MediaToggle.tsx';
import { MeetingBanners } from '../ui/MeetingBanners.tsx';
import { ExitControls } from '../ui/ExitControls.tsx';
import { PanelButton } from '../ui/PanelButton.tsx';
import { PanelButtons } from '../ui/PanelButtons.tsx';
import type { Panel } from '../ui/PanelButtons.tsx';
import { ParticipantsPanel, REPORTS_HEADING_ID } from '../ui/ParticipantsPanel.tsx';
import { PresentationStage } from '../ui/presentation/PresentationStage.tsx';
import { PresentationUpload } from '../ui/presentation/PresentationUpload.tsx';
import { MediaStage } from '../ui/sharedmedia/MediaStage.tsx';
import { MediaUpload } from '../ui/sharedmedia/MediaUpload.tsx';
import { MinutesPanel } from '../ui/minutes/MinutesPanel.tsx';
import { ScreenShareButton, type ShareState } from '../ui/ScreenShareButton.tsx';
import { ScreenTile } from '../ui/ScreenTile.tsx';
import { SecurityNotices } from '../ui/SecurityNotices.tsx';
import { ShareRequests } from '../ui/ShareRequests.tsx';
import { SidePanel } from '../ui/SidePanel.tsx';
import { VideoGrid } from '../ui/VideoGrid.tsx';
import { VideoTile } from '../ui/VideoTile.tsx';
import { WhiteboardStage } from '../ui/whiteboard/WhiteboardStage.tsx';
import type { Joined } from './PreJoinPage.tsx';

/**
 * The meeting: header, the dark stage with everyone's tile, an optional side panel
 * (participants, chat, minutes or, for moderators, the waiting room) and the toolbar. State comes from MeetingClient and LocalMedia
 * through useSyncExternalStore; this component only renders and forwards actions.
 */
export function MeetingPage({
  client,
  localMedia,
  joined,
  roomName,
  notices,
  tools,
  awayIds,
  endForAll,
}: {
  client: MeetingClient;
  localMedia: LocalMedia;
  joined: Joined;
  /** In a breakout room: its name, shown in the header. */
  roomName?: string;
  /** Notices above the stage (breakout banner, broadcasts, room picker). */
  notices?: ReactNode;
  /** More toolbar controls (the moderators' breakout rooms button). */
  tools?: ReactNode;
  /** People of this meeting who are in a breakout room now: no tile on the stage. */
  awayIds?: ReadonlySet<string>;
  /** What "End meeting for all" ends (in a breakout room: the main meeting, rooms and all). */
  endForAll?: () => Promise<void>;
}) {
  const { t } = useI18n();
  const snap = useSyncExternalStore(client.subscribe, client.getSnapshot);
  const desk = useSyncExternalStore(client.desk.subscribe, client.desk.getSnapshot);
  const devices = useSyncExternalStore(localMedia.subscribe, localMedia.getState);
  const board = useSyncExternalStore(client.board.subscribe, client.board.getSnapshot);
  const minutes = useSyncExternalStore(client.minutes.subscribe, client.minutes.getSnapshot);
  const [boardOpen, setBoardOpen] = useState(false);
  const [panel, setPanel] = useState<Panel | null>(null);
  /** Ids of messages that arrived while the chat was closed. */
  const [unread, setUnread] = useState<ReadonlySet<string>>(() => new Set());
  const [announcement, setAnnouncement] = useState('');
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [soundAttempt, setSoundAttempt] = useState(0);
  const [askedToShare, setAskedToShare] = useState(false);
  const panelRef = useRef<Panel | null>(null);
  const panelButtons = useRef<Record<Panel, HTMLButtonElement | null>>({
    participants: null,
    chat: null,
    minutes: null,
    lobby: null,
  });
  const selfId = joined.reply.participantId;
  const meetingId = joined.reply.meetingId;
  // One object per meeting: the dialogs refetch when it changes.
  const securityApi = useMemo(() => meetingSecurityApi(meetingId, 'moderator'), [meetingId]);

  // The fallback self is what we know from joining, until the server's welcome arrives.
  const self: Participant = useMemo(
    () =>
      snap.self ?? {
        id: selfId,
        displayName: joined.displayName,
        role: joined.reply.role,
        presence: 'online',
        joinedAt: '',
        microphone: devices.audio !== null,
        camera: devices.video !== null,
        screen: false,
        mayShare: false,
      },
    [snap.self, selfId, joined, devices.audio, devices.video],
  );
  // In a breakout room the header names the main meeting, and the room beside it.
  const title =
    (roomName === undefined ? snap.meeting?.title : joined.title) ||
    joined.title ||
    t('prejoin.untitled');
  const micOn = devices.audio !== null;
  const camOn = devices.video !== null;
  // A message a moderator deleted is no longer unread: count only those still in the chat.
  const unreadCount = snap.chat.filter((message) => unread.has(message.id)).length;

  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);

  useEffect(() => {
    panelRef.current = panel;
  }, [panel]);

  useEffect(
    () =>
      client.on('chatMessage', (message) => {
        if (message.senderId === selfId || panelRef.current === 'chat') return;
        setUnread((ids) => new Set(ids).add(message.id));
        setAnnouncement(t('chat.newMessage', { name: message.senderName }));
      }),
    [client, selfId, t],
  );

  useEffect(() => {
    // On phones a panel covers the whole stage (see panels.css); stop receiving video then.
    const narrow = window.matchMedia('(max-width: 760px)');
    const update = () => {
      client.setStageCovered(panel !== null && narrow.matches);
    };
    update();
    narrow.addEventListener('change', update);
    return () => {
      narrow.removeEventListener('change', update);
    };
  }, [client, panel]);

  useEffect(() => {
    const offJoined = client.on('participantJoined', (p) => {
      setAnnouncement(t('meeting.joined', { name: p.displayName }));
    });
    const offLeft = client.on('participantLeft', (p) => {
      setAnnouncement(t('meeting.leftMeeting', { name: p.displayName }));
    });
    return () => {
      offJoined();
      offLeft();
    };
  }, [client, t]);

  const togglePanel = (next: Panel) => {
    setPanel((current) => (current === next ? null : next));
    if (next === 'chat') setUnread(new Set());
  };

  const closePanel = (which: Panel) => {
    // Focus was inside the panel that is about to disappear: hand it back to its button.
    const active = document.activeElement;
    const hadFocus = active instanceof Element && active.closest('.side-panel') !== null;
    setPanel(null);
    if (hadFocus) {
      requestAnimationFrame(() => {
        panelButtons.current[which]?.focus();
      });
    }
  };

  /** Moves focus into a panel that opened from a notice, once it is on screen. */
  const focusPanelStart = (id: string) => {
    requestAnimationFrame(() => {
      const target = document.getElementById(id);
      const focusable = target?.matches('[tabindex], button, input, textarea, select')
        ? target
        : target?.querySelector<HTMLElement>('h3[tabindex], button');
      focusable?.focus();
    });
  };

  const nameOf = (id: string): string =>
    id === self.id
      ? self.displayName
      : (snap.others.find((p) => p.id === id)?.displayName ?? t('chat.unknownPerson'));

  const onSoundBlocked = useCallback(() => {
    setSoundBlocked(true);
  }, []);

  const remoteAudio: RemoteAudio[] = [];
  for (const media of snap.remote.values()) {
    if (media.microphone) remoteAudio.push(media.microphone);
  }

  const isModerator = self.role === 'moderator';
  // Locks bind everyone but moderators; the server enforces them, this only explains.
  const micLocked = !isModerator && snap.locks.microphones;
  const camLocked = !isModerator && snap.locks.cameras;
  const count = snap.others.length + 1;
  // Who may share is the server's call (role, granted right, lock); this only offers it.
  const mayShare =
    isModerator || (!snap.locks.screenShare && (self.role === 'presenter' || self.mayShare));
  // Presenting a PDF is for presenters and moderators (the server checks again).
  const mayPresent = isModerator || self.role === 'presenter';
  const shareState: ShareState = snap.screen
    ? 'sharing'
    : mayShare
      ? 'may'
      : snap.locks.screenShare
        ? 'locked'
        : askedToShare
          ? 'asked'
          : 'ask';
  // Who may draw is the server's call too; people who may not see the board in view mode.
  const mayDraw = isModerator || self.role === 'presenter' || board.drawers.has(self.id);
  const onStage = awayIds ? snap.others.filter((p) => !awayIds.has(p.id)) : snap.others;
  const screens = snap.others.flatMap((participant) => {
    const screen = snap.remote.get(participant.id)?.screen;
    return screen && !screen.paused ? [{ participant, track: screen.track }] : [];
  });

  const askToShare = () => {
    client.requestScreenShare().then(
      () => {
        setAskedToShare(true);
        setAnnouncement(t('share.askSent'));
        // A declined request is not answered; after a while one may ask again.
        setTimeout(() => {
          setAskedToShare(false);
        }, 30_000);
      },
      () => {
        setAnnouncement(t('share.error'));
      },
    );
  };

  return (
    <div className="meeting">
      <header className="meeting-header">
        <LogoMark className="meeting-header__logo" />
        <div className="meeting-header__title">
          <h1 className="meeting-header__name">{title}</h1>
          <p className="meeting-header__meta">
            <Icon name="lock" />
            <span className="meeting-header__secure">{t('meeting.secure')}</span>
            <span className="meeting-header__dot" aria-hidden="true">
              ·
            </span>
            <span>{t('meeting.count', { count })}</span>
            {roomName !== undefined && (
              <span className="meeting-header__room" title={t('breakout.roomBadge')}>
                {roomName}
              </span>
            )}
          </p>
        </div>
        <LanguageSelect />
      </header>

      <ConnectionBanner
        status={snap.status}
        attempt={snap.attempt}
        maxAttempts={snap.maxAttempts}
        onRetry={() => {
          client.retry();
        }}
      />
      <MeetingBanners
        soundBlocked={soundBlocked}
        onEnableSound={() => {
          setSoundBlocked(false);
          setSoundAttempt((n) => n + 1);
        }}
        stoppedByModerator={snap.stoppedByModerator}
        onDismissModeratorNotice={() => {
          client.dismissModeratorNotice();
        }}
        micLocked={micLocked}
        camLocked={camLocked}
        sourceError={snap.sourceError}
        onDismissSourceError={() => {
          client.dismissSourceError();
        }}
      />
      {notices}
      <SecurityNotices
        desk={client.desk}
        isModerator={isModerator}
        lobbyOpen={panel === 'lobby'}
        nameOf={nameOf}
        onOpenLobby={() => {
          setPanel('lobby');
          focusPanelStart('panel-lobby');
        }}
        onOpenReports={() => {
          setPanel('participants');
          focusPanelStart(REPORTS_HEADING_ID);
        }}
      />
      {isModerator && (
        <ShareRequests
          desk={client.desk}
          nameOf={nameOf}
          present={(id) => snap.others.some((p) => p.id === id && !p.screen && !p.mayShare)}
          onError={setAnnouncement}
        />
      )}
      <div className="meeting__body">
        <main id="main" className="stage">
          {snap.status === 'connecting' && (
            <p className="stage__status" role="status">
              <span className="spinner spinner--light" aria-hidden="true" />
              {t('meeting.connecting')}
            </p>
          )}
          <PresentationStage
            store={client.presentations}
            annotations={client.annotations}
            canPresent={mayPresent}
            mayDraw={mayDraw}
            selfId={self.id}
            onError={setAnnouncement}
          />
          <MediaStage
            store={client.media}
            canControl={mayPresent}
            nameOf={nameOf}
            onError={setAnnouncement}
          />
          {boardOpen && (
            <WhiteboardStage
              sync={client.board}
              mayDraw={mayDraw}
              onClose={() => {
                setBoardOpen(false);
              }}
            />
          )}
          {(snap.screen !== null || screens.length > 0) && (
            <section className="screens" aria-label={t('share.screens')}>
              {screens.map(({ participant, track }) => (
                <ScreenTile
                  key={participant.id}
                  participantId={participant.id}
                  name={participant.displayName}
                  track={track}
                  observer={client}
                />
              ))}
              {snap.screen !== null && (
                <ScreenTile
                  participantId={self.id}
                  name={self.displayName}
                  track={snap.screen}
                  isSelf
                />
              )}
            </section>
          )}
          <VideoGrid label={t('meeting.videoGrid')} count={onStage.length + 1}>
            <div className="grid__cell" key={self.id}>
              <VideoTile
                participant={self}
                track={devices.video}
                micOn={micOn}
                camOn={camOn}
                isSelf
              />
            </div>
            {onStage.map((participant) => {
              const media = snap.remote.get(participant.id);
              const camera = media?.camera;
              return (
                <div className="grid__cell" key={participant.id}>
                  <VideoTile
                    participant={participant}
                    track={camera?.track ?? null}
                    micOn={participant.microphone && media?.microphone?.paused !== true}
                    camOn={participant.camera && camera !== undefined && !camera.paused}
                    observer={client}
                  />
                </div>
              );
            })}
          </VideoGrid>
          {snap.status === 'connected' && snap.others.length === 0 && (
            <p className="stage__hint">{t('meeting.alone')}</p>
          )}
        </main>

        {panel === 'participants' && (
          <SidePanel
            id="panel-participants"
            title={t('meeting.participants')}
            onClose={() => {
              closePanel('participants');
            }}
          >
            <ParticipantsPanel
              self={self}
              others={snap.others}
              selfMicOn={micOn}
              selfCamOn={camOn}
              moderation={isModerator ? client.desk : null}
              locks={snap.locks}
              reports={desk.reports}
              drawing={isModerator ? { drawers: board.drawers, commands: client.board } : null}
              minutes={{ takers: minutes.takers, commands: isModerator ? client.minutes : null }}
              onReport={(participantId, reason, text) =>
                client.desk.report(participantId, reason, text)
              }
            />
          </SidePanel>
        )}
        {panel === 'lobby' && isModerator && (
          <SidePanel
            id="panel-lobby"
            title={t('lobby.panel.title')}
            onClose={() => {
              closePanel('lobby');
            }}
          >
            <LobbyPanel desk={desk} commands={client.desk} api={securityApi} />
          </SidePanel>
        )}
        {panel === 'minutes' && (
          <SidePanel
            id="panel-minutes"
            title={t('minutes.button')}
            onClose={() => {
              closePanel('minutes');
            }}
          >
            <MinutesPanel
              store={client.minutes}
              meetingId={meetingId}
              selfId={self.id}
              nameOf={nameOf}
            />
          </SidePanel>
        )}
        {panel === 'chat' && (
          <SidePanel
            id="panel-chat"
            title={t('meeting.chat')}
            onClose={() => {
              closePanel('chat');
            }}
          >
            <ChatPanel
              self={self}
              others={snap.others}
              messages={snap.chat}
              onSend={(text, to) => client.sendChat(text, to)}
              {...(isModerator
                ? { onDelete: (messageId: string) => client.deleteChat(messageId) }
                : {})}
              locked={{
                public: !isModerator && snap.locks.publicChat,
                private: !isModerator && snap.locks.privateChat,
              }}
            />
          </SidePanel>
        )}
      </div>

      <footer className="toolbar">
        <div className="toolbar__group" role="group" aria-label={t('meeting.controls')}>
          <MediaToggle
            kind="microphone"
            on={micOn}
            locked={micLocked}
            withCaption
            onToggle={(on) => {
              void client.setMicrophone(on);
            }}
          />
          <MediaToggle
            kind="camera"
            on={camOn}
            locked={camLocked}
            withCaption
            onToggle={(on) => {
              void client.setCamera(on);
            }}
          />
          <ScreenShareButton
            state={shareState}
            onStart={() => {
              void client.startScreenShare();
            }}
            onStop={() => {
              void client.stopScreenShare();
            }}
            onAsk={askToShare}
          />
          {mayPresent && <PresentationUpload store={client.presentations} />}
          {mayPresent && <MediaUpload store={client.media} />}
          {tools}
          <PanelButton
            icon="pen"
            label={t('board.button')}
            pressed={boardOpen}
            controls="whiteboard"
            badge={null}
            onClick={() => {
              setBoardOpen((open) => !open);
            }}
          />
          <PanelButtons
            panel={panel}
            onToggle={togglePanel}
            buttonRef={(which, element) => {
              panelButtons.current[which] = element;
            }}
            count={count}
            unread={unreadCount}
            waiting={desk.waiting.length}
            isModerator={isModerator}
          />
        </div>
        <ExitControls
          isModerator={isModerator}
          onEndForAll={endForAll ?? (() => client.endForAll())}
          onLeave={() => {
            void client.leave();
          }}
        />
      </footer>

      <AudioSink tracks={remoteAudio} attempt={soundAttempt} onBlocked={onSoundBlocked} />
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
