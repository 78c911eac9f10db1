import { useId, useState } from 'react';
import type { SubmitEvent } from 'react';
import { BREAKOUT_LIMITS } from '@konvent/protocol';
import type { BreakoutState } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import type { BreakoutStore } from '../../media/BreakoutStore.ts';
import { apiErrorKey } from '../errorMessage.ts';
import { Icon } from '../Icons.tsx';
import { useRemaining } from './countdown.ts';
import type { Person } from './people.ts';

const MAIN = '';

/**
 * The moderators' view of running breakout rooms: the countdown, every room with its
 * members (each with a select to move them to another room or the main room) and a
 * "visit" button, the people still in the main room, a message to all rooms, and "end now"
 * (asked once more before everyone is brought back).
 */
export function BreakoutManager({
  store,
  breakout,
  people,
  currentRoomId,
  onVisit,
  onClose,
}: {
  store: BreakoutStore;
  breakout: BreakoutState;
  people: readonly Person[];
  /** The room I am in now (null: the main room). */
  currentRoomId: string | null;
  /** Goes to a room (or, null, back to the main room). */
  onVisit: (roomId: string | null) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const remaining = useRemaining(breakout.endsAt);
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);

  const nameOf = (personId: string): string =>
    people.find((p) => p.id === personId)?.name ?? t('chat.unknownPerson');
  const assigned = new Set(breakout.rooms.flatMap((room) => room.participantIds));
  const inMain = people.filter((p) => !assigned.has(p.id));

  const fail = (failure: unknown) => {
    setError(`${t('breakout.panel.error')} ${t(apiErrorKey(failure))}`);
  };
  const move = (personId: string, roomId: string) => {
    setError(null);
    store.move(personId, roomId === MAIN ? null : roomId).catch(fail);
  };
  const send = (event: SubmitEvent) => {
    event.preventDefault();
    const message = text.trim();
    if (message === '') return;
    setError(null);
    store.broadcast(message).then(() => {
      setText('');
      setStatus(t('breakout.panel.broadcastSent'));
    }, fail);
  };
  const end = () => {
    setError(null);
    store.end().then(onClose, fail);
  };

  const moveSelect = (personId: string, value: string) => (
    <select
      className="select breakout-people__select"
      aria-label={t('breakout.panel.moveLabel', { name: nameOf(personId) })}
      value={value}
      onChange={(event) => {
        move(personId, event.target.value);
      }}
    >
      <option value={MAIN}>{t('breakout.panel.mainRoom')}</option>
      {breakout.rooms.map((room) => (
        <option key={room.id} value={room.id}>
          {room.name}
        </option>
      ))}
    </select>
  );

  return (
    <div className="dialog__form breakout-manager">
      <p className="breakout-manager__time" role="timer">
        <Icon name="clock" />
        {t('breakout.panel.remaining', { time: remaining })}
      </p>
      <ul className="breakout-rooms">
        {breakout.rooms.map((room) => (
          <li key={room.id} className="breakout-room">
            <div className="breakout-room__head">
              <h3 className="breakout-room__name" id={`${id}-${room.id}`}>
                {room.name}
              </h3>
              {currentRoomId === room.id ? (
                <span className="pill">{t('breakout.panel.here')}</span>
              ) : (
                <button
                  type="button"
                  className="button button--small button--secondary"
                  aria-label={t('breakout.panel.visitLabel', { room: room.name })}
                  onClick={() => {
                    onVisit(room.id);
                  }}
                >
                  {t('breakout.panel.visit')}
                </button>
              )}
            </div>
            {room.participantIds.length === 0 ? (
              <p className="field-hint">{t('breakout.panel.empty')}</p>
            ) : (
              <ul
                className="breakout-people"
                aria-label={t('breakout.panel.members', { room: room.name })}
              >
                {room.participantIds.map((personId) => (
                  <li key={personId} className="breakout-people__row">
                    <span className="breakout-people__name">{nameOf(personId)}</span>
                    {moveSelect(personId, room.id)}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
        <li className="breakout-room breakout-room--main">
          <div className="breakout-room__head">
            <h3 className="breakout-room__name">{t('breakout.panel.mainRoom')}</h3>
            {currentRoomId === null ? (
              <span className="pill">{t('breakout.panel.here')}</span>
            ) : (
              <button
                type="button"
                className="button button--small button--secondary"
                onClick={() => {
                  onVisit(null);
                }}
              >
                {t('breakout.return')}
              </button>
            )}
          </div>
          {inMain.length === 0 ? (
            <p className="field-hint">{t('breakout.panel.empty')}</p>
          ) : (
            <ul
              className="breakout-people"
              aria-label={t('breakout.panel.members', { room: t('breakout.panel.mainRoom') })}
            >
              {inMain.map((person) => (
                <li key={person.id} className="breakout-people__row">
                  <span className="breakout-people__name">{person.name}</span>
                  {moveSelect(person.id, MAIN)}
                </li>
              ))}
            </ul>
          )}
        </li>
      </ul>
      <form className="breakout-broadcast" onSubmit={send}>
        <label htmlFor={`${id}-broadcast`} className="field-label">
          {t('breakout.panel.broadcast')}
        </label>
        <textarea
          id={`${id}-broadcast`}
          className="input breakout-broadcast__text"
          rows={2}
          maxLength={BREAKOUT_LIMITS.broadcastText}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
        <button type="submit" className="button button--secondary" disabled={text.trim() === ''}>
          <Icon name="send" />
          {t('breakout.panel.broadcastSend')}
        </button>
      </form>
      {error !== null && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {status}
      </p>
      {confirmEnd && (
        <p className="notice notice--warning breakout-manager__confirm" role="alert">
          {t('breakout.panel.endConfirm')}
        </p>
      )}
      <div className="dialog__actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            if (confirmEnd) setConfirmEnd(false);
            else onClose();
          }}
        >
          {confirmEnd ? t('breakout.setup.cancel') : t('breakout.panel.close')}
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={() => {
            if (confirmEnd) end();
            else setConfirmEnd(true);
          }}
        >
          {t('breakout.panel.end')}
        </button>
      </div>
    </div>
  );
}
