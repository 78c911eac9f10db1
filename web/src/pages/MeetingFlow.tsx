import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { authStore } from '../auth/session.ts';
import { LocalMedia } from '../media/LocalMedia.ts';
import { MeetingClient } from '../media/MeetingClient.ts';
import { prepareDevice } from '../media/preparedDevice.ts';
import type { EndReason } from '../media/meetingState.ts';
import { useClosing } from '../ui/useClosing.ts';
import { BreakoutFlow } from './BreakoutFlow.tsx';
import { EndPage } from './EndPage.tsx';
import { LobbyPage } from './LobbyPage.tsx';
import { hideTokenFromAddress, readToken } from './meetingToken.ts';
import { PreJoinPage } from './PreJoinPage.tsx';
import type { Joined } from './PreJoinPage.tsx';

const NO_CLIENT = (): (() => void) => () => undefined;

type Stage =
  | { name: 'prejoin' }
  | { name: 'meeting'; client: MeetingClient; joined: Joined }
  | { name: 'end'; reason: EndReason; minutes?: boolean };

/**
 * Everything under `/m/<id>`: pre-join → (lobby →) meeting → left/ended (→ rejoin). Someone
 * the join put in the lobby sees the waiting page until a moderator admits them (the same
 * client then reconnects into the meeting) or denies them (the end page). It owns the
 * local devices across these steps, so the camera opened for the preview is the one the
 * meeting sends, and it switches them off as soon as the meeting is over.
 */
export function MeetingFlow({ meetingId }: { meetingId: string }) {
  const [token] = useState(() => readToken(meetingId));
  const [localMedia] = useState(() => new LocalMedia());
  // Probed while the person is still on the pre-join page, so joining skips it.
  const [devicePreparation] = useState(prepareDevice);
  const [stage, setStage] = useState<Stage>({ name: 'prejoin' });
  const client = stage.name === 'meeting' ? stage.client : null;
  useClosing(localMedia);
  useClosing(client);
  // Only whether I wait matters here; the pages subscribe to the rest themselves.
  const inLobby = useSyncExternalStore(
    client?.subscribe ?? NO_CLIENT,
    () => client?.getSnapshot().lobby != null,
  );

  useEffect(() => {
    hideTokenFromAddress();
  }, []);

  useEffect(() => {
    if (!client) return;
    return client.on('ended', (reason) => {
      localMedia.stopAll();
      // The account session ended under the meeting: the header must show that too.
      if (reason === 'signedOut') authStore.refresh().catch(() => undefined);
      // Minutes with something in them can be exported from the end page.
      const minutes = client.minutes.getSnapshot().available && client.minutes.hasContent();
      setStage({ name: 'end', reason, minutes });
    });
  }, [client, localMedia]);

  const onJoined = useCallback(
    (joined: Joined) => {
      const next = new MeetingClient({
        meetingId,
        localMedia,
        devicePreparation,
        waiting: joined.reply.admission === 'waiting',
      });
      next.connect();
      setStage({ name: 'meeting', client: next, joined });
    },
    [meetingId, localMedia, devicePreparation],
  );

  const onEnded = useCallback(() => {
    localMedia.stopAll();
    setStage({ name: 'end', reason: 'ended' });
  }, [localMedia]);

  const onRejoin = useCallback(() => {
    setStage({ name: 'prejoin' });
  }, []);

  switch (stage.name) {
    case 'prejoin':
      return (
        <PreJoinPage
          meetingId={meetingId}
          token={token}
          localMedia={localMedia}
          onJoined={onJoined}
          onEnded={onEnded}
        />
      );
    case 'meeting':
      if (inLobby) {
        return <LobbyPage client={stage.client} localMedia={localMedia} joined={stage.joined} />;
      }
      return (
        <BreakoutFlow
          main={stage.client}
          localMedia={localMedia}
          joined={stage.joined}
          devicePreparation={devicePreparation}
        />
      );
    case 'end':
      return (
        <EndPage
          reason={stage.reason}
          onRejoin={onRejoin}
          {...(stage.minutes === true ? { minutesOf: meetingId } : {})}
        />
      );
  }
}
