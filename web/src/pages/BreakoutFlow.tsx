import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { BreakoutState, MeetingRole } from '@konvent/protocol';
import { useI18n } from '../i18n/I18n.tsx';
import type { LocalMedia } from '../media/LocalMedia.ts';
import { MeetingClient } from '../media/MeetingClient.ts';
import type { DevicePreparation } from '../media/preparedDevice.ts';
import { BreakoutButton } from '../ui/breakouts/BreakoutButton.tsx';
import {
  BroadcastNotice,
  MainRoomNotice,
  MovingNotice,
  RoomBanner,
} from '../ui/breakouts/BreakoutNotices.tsx';
import { peopleOf } from '../ui/breakouts/people.ts';
import { useClosing } from '../ui/useClosing.ts';
import { MeetingPage } from './MeetingPage.tsx';
import type { Joined } from './PreJoinPage.tsx';

/** The breakout room I am in: its own meeting and client. */
interface Room {
  roomId: string;
  name: string;
  client: MeetingClient;
  joined: Joined;
}

/** A room I must not enter again until the rooms change (I was moved out, or it closed). */
interface Block {
  roomId: string;
  breakout: BreakoutState | null;
  /**
   * The room's socket closed before the main meeting said where I go now: stay away from
   * the main room's media for a moment rather than take it up and drop it again.
   */
  hold: boolean;
}

/** How long to wait for `breakout.changed` after the room's socket closed. */
const HOLD_MS = 3000;

/**
 * The meeting page with breakout rooms (C5, issue 7). The main meeting's client (`main`)
 * stays connected all along for the rooms' state, broadcasts and moves; while I am in a
 * room it holds no media (`setAway`), and a second client speaks for the room, sending the
 * same camera and microphone (LocalMedia is shared).
 *
 * Where I belong follows the server: the room I am assigned to, else the main room;
 * moderators may instead visit any room or stay in the main room. When the room's socket
 * ends because the rooms closed or I was moved, I go back (or on) by myself. Leaving from a
 * room leaves the whole meeting.
 */
export function BreakoutFlow({
  main,
  localMedia,
  joined,
  devicePreparation,
}: {
  main: MeetingClient;
  localMedia: LocalMedia;
  joined: Joined;
  devicePreparation: DevicePreparation;
}) {
  const { t } = useI18n();
  const store = main.breakouts;
  const { breakout } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const mainSnap = useSyncExternalStore(main.subscribe, main.getSnapshot);
  const selfId = joined.reply.participantId;
  const isModerator = (mainSnap.self?.role ?? joined.reply.role) === 'moderator';
  const [room, setRoom] = useState<Room | null>(null);
  /** A moderator's own pick: a room to visit, or (null) the main room; null: follow the server. */
  const [choice, setChoice] = useState<{ roomId: string | null } | null>(null);
  const [block, setBlock] = useState<Block | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  /** The room being entered now (its enter request is under way). */
  const pending = useRef<string | null>(null);
  /** Room clients I left on purpose: their `ended` means nothing more. */
  const dismissed = useRef(new WeakSet<MeetingClient>());
  useClosing(room?.client ?? null);

  const assigned = store.roomOf(selfId);
  const wanted = breakout === null ? null : choice ? choice.roomId : assigned;
  const target =
    wanted !== null &&
    breakout?.rooms.some((r) => r.id === wanted) === true &&
    !(block?.roomId === wanted && block.breakout === breakout)
      ? wanted
      : null;
  const current = room?.roomId ?? null;
  const holding = block?.hold === true && block.breakout === breakout;

  // Waited long enough for the rooms' news: the main room it is.
  useEffect(() => {
    if (!holding) return;
    const timer = setTimeout(() => {
      setBlock((b) => (b ? { ...b, hold: false } : b));
    }, HOLD_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [holding]);

  // The rooms closed: a moderator's pick no longer means anything.
  useEffect(() => {
    if (breakout === null) setChoice(null);
  }, [breakout]);

  useEffect(() => {
    if (target === current) {
      pending.current = null;
      if (holding) return;
      setMoving(null);
      if (target === null) main.setAway(false);
      return;
    }
    if (room) {
      dismissed.current.add(room.client);
      void room.client.leave();
      setRoom(null);
    }
    if (target === null) {
      pending.current = null;
      setMoving(null);
      main.setAway(false);
      return;
    }
    if (pending.current === target) return;
    pending.current = target;
    const name = breakout?.rooms.find((r) => r.id === target)?.name ?? '';
    setMoving(t('breakout.moving', { room: name }));
    setFailure(null);
    main.setAway(true);
    store.enter(target).then(
      (reply) => {
        if (pending.current !== target) return;
        pending.current = null;
        const client = new MeetingClient({
          meetingId: reply.meetingId,
          localMedia,
          devicePreparation,
        });
        client.connect();
        const role = reply.role as MeetingRole;
        setRoom({
          roomId: target,
          name,
          client,
          joined: {
            reply: {
              meetingId: reply.meetingId,
              participantId: reply.participantId,
              role,
              admission: 'admitted',
            },
            displayName: joined.displayName,
            title: main.getSnapshot().meeting?.title ?? joined.title,
          },
        });
      },
      () => {
        if (pending.current !== target) return;
        pending.current = null;
        setFailure(t('breakout.enterError', { room: name }));
        setBlock({ roomId: target, breakout: store.getSnapshot().breakout, hold: false });
        setChoice(null);
      },
    );
  }, [
    target,
    current,
    holding,
    room,
    breakout,
    main,
    store,
    localMedia,
    devicePreparation,
    joined,
    t,
  ]);

  // The room's socket ended: the rooms closed or I was moved (back or on), or I left.
  useEffect(() => {
    if (!room) return;
    const { client, roomId } = room;
    return client.on('ended', (reason) => {
      if (dismissed.current.has(client)) return;
      if (reason === 'left') {
        void main.leave();
        return;
      }
      setBlock({ roomId, breakout: store.getSnapshot().breakout, hold: true });
      setChoice(null);
      setMoving(t('breakout.returning'));
      setRoom(null);
    });
  }, [room, main, store, t]);

  const visit = useCallback((roomId: string | null) => {
    setBlock(null);
    setChoice({ roomId });
  }, []);

  const people = peopleOf(mainSnap.self, mainSnap.others);
  const inRooms = useMemo(
    () => new Set(breakout?.rooms.flatMap((r) => r.participantIds) ?? []),
    [breakout],
  );
  const tools = isModerator ? (
    <BreakoutButton store={store} people={people} currentRoomId={current} onVisit={visit} />
  ) : null;
  const notices = (
    <>
      {moving !== null && <MovingNotice text={moving} />}
      {failure !== null && (
        <p className="banner banner--warning" role="alert">
          {failure}
        </p>
      )}
      {room && breakout && (
        <RoomBanner
          name={room.name}
          endsAt={breakout.endsAt}
          onReturn={
            isModerator
              ? () => {
                  visit(null);
                }
              : null
          }
        />
      )}
      {!room && moving === null && breakout && (
        <MainRoomNotice
          breakout={breakout}
          mayPick={breakout.allowChoose && assigned === null && !isModerator}
          onPick={(roomId) => {
            setFailure(null);
            store.choose(roomId).catch(() => {
              setFailure(t('breakout.panel.error'));
            });
          }}
        />
      )}
      <BroadcastNotice store={store} />
    </>
  );

  if (room) {
    return (
      <MeetingPage
        key={`room-${room.roomId}`}
        client={room.client}
        localMedia={localMedia}
        joined={room.joined}
        roomName={room.name}
        endForAll={() => main.endForAll()}
        notices={notices}
        tools={tools}
      />
    );
  }
  return (
    <MeetingPage
      key="main"
      client={main}
      awayIds={inRooms}
      localMedia={localMedia}
      joined={joined}
      notices={notices}
      tools={tools}
    />
  );
}
