import { useSyncExternalStore } from 'react';
import type { BreakoutState } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import type { BreakoutStore } from '../../media/BreakoutStore.ts';
import { Icon } from '../Icons.tsx';
import { useRemaining } from './countdown.ts';

/** In a room: its name and the countdown; moderators may go back before the time is up. */
export function RoomBanner({
  name,
  endsAt,
  onReturn,
}: {
  name: string;
  endsAt: string;
  /** Moderators only: back to the main room now. */
  onReturn: (() => void) | null;
}) {
  const { t } = useI18n();
  const time = useRemaining(endsAt);
  return (
    <div
      className="banner banner--info breakout-banner"
      role="region"
      aria-label={t('breakout.bannerLabel', { room: name })}
    >
      <Icon name="door" />
      <span className="breakout-banner__text" role="timer">
        {t('breakout.banner', { room: name, time })}
      </span>
      {onReturn && (
        <button type="button" className="button button--small button--secondary" onClick={onReturn}>
          {t('breakout.return')}
        </button>
      )}
    </div>
  );
}

/** A moderator's message to all rooms, prominent until dismissed (a newer one replaces it). */
export function BroadcastNotice({ store }: { store: BreakoutStore }) {
  const { t } = useI18n();
  const { broadcast } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  if (!broadcast) return null;
  return (
    <div className="breakout-broadcast-notice" role="alert">
      <Icon name="flag" />
      <div className="breakout-broadcast-notice__body">
        <p className="breakout-broadcast-notice__from">
          {t('breakout.broadcast.from', { name: broadcast.fromName })}
        </p>
        <p className="breakout-broadcast-notice__text">{broadcast.text}</p>
      </div>
      <button
        type="button"
        className="icon-button breakout-broadcast-notice__close"
        aria-label={t('breakout.broadcast.dismiss')}
        onClick={() => {
          store.dismissBroadcast();
        }}
      >
        <Icon name="close" />
      </button>
    </div>
  );
}

/**
 * In the main room while rooms run: how long they run and, for someone without a room when
 * the moderators let people choose, a button per room.
 */
export function MainRoomNotice({
  breakout,
  mayPick,
  onPick,
}: {
  breakout: BreakoutState;
  mayPick: boolean;
  onPick: (roomId: string) => void;
}) {
  const { t } = useI18n();
  const time = useRemaining(breakout.endsAt);
  if (!mayPick) {
    return (
      <div className="banner banner--info" role="status">
        <Icon name="door" />
        <span role="timer">{t('breakout.running', { count: breakout.rooms.length, time })}</span>
      </div>
    );
  }
  return (
    <section className="breakout-picker" aria-labelledby="breakout-picker-title">
      <h2 id="breakout-picker-title" className="breakout-picker__title">
        {t('breakout.pick.title')}
      </h2>
      <p className="breakout-picker__text" role="timer">
        {t('breakout.pick.text', { time })}
      </p>
      <ul className="breakout-picker__rooms">
        {breakout.rooms.map((room) => (
          <li key={room.id}>
            <button
              type="button"
              className="button button--secondary breakout-picker__room"
              aria-label={t('breakout.pick.join', { room: room.name })}
              onClick={() => {
                onPick(room.id);
              }}
            >
              <span className="breakout-picker__name">{room.name}</span>
              <span className="breakout-picker__count">
                {room.participantIds.length === 1
                  ? t('breakout.pick.memberOne')
                  : t('breakout.pick.memberCount', { count: room.participantIds.length })}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** While a room is being entered or left: "You are being moved to Room 2…". */
export function MovingNotice({ text }: { text: string }) {
  return (
    <div className="breakout-moving" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{text}</span>
    </div>
  );
}
