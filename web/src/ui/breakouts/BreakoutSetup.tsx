import { useId, useState } from 'react';
import type { SubmitEvent } from 'react';
import { BREAKOUT_LIMITS } from '@konvent/protocol';
import type { BreakoutAssignMode, BreakoutRoomRequest } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import type { BreakoutStore } from '../../media/BreakoutStore.ts';
import { apiErrorKey } from '../errorMessage.ts';
import { Field } from '../Field.tsx';
import { RadioOption } from '../policy/RadioOption.tsx';
import type { Person } from './people.ts';

const MODES: readonly BreakoutAssignMode[] = ['manual', 'random', 'choose'];
const DEFAULT_ROOMS = 2;
const DEFAULT_MINUTES = 15;

/** A whole number from a form field within [min, max], or null. */
function whole(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/**
 * The moderators' form that opens breakout rooms: how many (1–20), their names ("Room 1" …
 * by default, editable), how long (1–240 minutes), and how people get in: assigned by hand
 * (one select per person, no dragging), spread at random, or chosen by the participants.
 * People given a room here go there in every mode.
 */
export function BreakoutSetup({
  store,
  people,
  onDone,
}: {
  store: BreakoutStore;
  people: readonly Person[];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [countText, setCountText] = useState(String(DEFAULT_ROOMS));
  const [names, setNames] = useState<string[]>([]);
  const [minutesText, setMinutesText] = useState(String(DEFAULT_MINUTES));
  const [mode, setMode] = useState<BreakoutAssignMode>('manual');
  /** Person id → room index (as a string, the select's value); absent: unassigned. */
  const [assigned, setAssigned] = useState<ReadonlyMap<string, number>>(() => new Map());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const { minRooms, maxRooms, minMinutes, maxMinutes, roomName } = BREAKOUT_LIMITS;
  const count = whole(countText, minRooms, maxRooms);
  const minutes = whole(minutesText, minMinutes, maxMinutes);
  const shown = count ?? Math.min(Math.max(names.length, DEFAULT_ROOMS), maxRooms);
  const nameAt = (i: number): string =>
    names[i] ?? t('breakout.setup.defaultName', { number: i + 1 });
  const allNames = Array.from({ length: shown }, (_, i) => nameAt(i));
  const badName = allNames.some((name) => name.trim() === '' || name.length > roomName);
  // The server refuses two rooms of the same name (case and outer spaces aside).
  const keys = allNames.map((name) => name.trim().toLocaleLowerCase());
  const twice = new Set(keys.filter((key, i) => keys.indexOf(key) !== i));
  const hint =
    mode === 'manual'
      ? t('breakout.setup.peopleHintManual')
      : mode === 'random'
        ? t('breakout.setup.peopleHintRandom')
        : t('breakout.setup.peopleHintChoose');

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (count === null || minutes === null || badName || twice.size > 0 || busy) {
      setError(
        count === null
          ? t('breakout.setup.invalidCount', { min: minRooms, max: maxRooms })
          : minutes === null
            ? t('breakout.setup.invalidDuration', { min: minMinutes, max: maxMinutes })
            : badName
              ? t('breakout.setup.invalidName', { max: roomName })
              : t('breakout.setup.duplicateName'),
      );
      return;
    }
    const rooms: BreakoutRoomRequest[] = Array.from({ length: count }, (_, i) => ({
      name: nameAt(i).trim(),
      participantIds: people.filter((p) => assigned.get(p.id) === i).map((p) => p.id),
    }));
    setBusy(true);
    setError(null);
    store.start(rooms, minutes, mode).then(onDone, (failure: unknown) => {
      setBusy(false);
      setError(`${t('breakout.setup.error')} ${t(apiErrorKey(failure))}`);
    });
  };

  return (
    <form className="dialog__form breakout-setup" onSubmit={submit} noValidate>
      <div className="breakout-setup__numbers">
        <Field
          label={t('breakout.setup.count')}
          type="number"
          inputMode="numeric"
          min={minRooms}
          max={maxRooms}
          value={countText}
          onChange={setCountText}
          error={
            count === null
              ? t('breakout.setup.invalidCount', { min: minRooms, max: maxRooms })
              : null
          }
        />
        <Field
          label={t('breakout.setup.duration')}
          type="number"
          inputMode="numeric"
          min={minMinutes}
          max={maxMinutes}
          value={minutesText}
          onChange={setMinutesText}
          error={
            minutes === null
              ? t('breakout.setup.invalidDuration', { min: minMinutes, max: maxMinutes })
              : null
          }
        />
      </div>
      <fieldset className="breakout-setup__group">
        <legend className="field-label">{t('breakout.setup.names')}</legend>
        <div className="breakout-setup__names">
          {Array.from({ length: shown }, (_, i) => (
            <Field
              key={i}
              label={t('breakout.setup.roomName', { number: i + 1 })}
              value={nameAt(i)}
              maxLength={roomName}
              error={
                twice.has(nameAt(i).trim().toLocaleLowerCase()) && nameAt(i).trim() !== ''
                  ? t('breakout.setup.duplicateName')
                  : null
              }
              onChange={(value) => {
                setNames((current) => {
                  const next = Array.from({ length: shown }, (_, j) => current[j] ?? nameAt(j));
                  next[i] = value;
                  return next;
                });
              }}
            />
          ))}
        </div>
      </fieldset>
      <fieldset className="breakout-setup__group">
        <legend className="field-label">{t('breakout.setup.assign')}</legend>
        {MODES.map((m) => (
          <RadioOption
            key={m}
            name={`${id}-mode`}
            value={m}
            checked={mode === m}
            label={t(`breakout.setup.${m}`)}
            onSelect={() => {
              setMode(m);
            }}
          />
        ))}
      </fieldset>
      <fieldset className="breakout-setup__group">
        <legend className="field-label">{t('breakout.setup.people')}</legend>
        <p className="field-hint">{hint}</p>
        {people.length === 0 && <p className="field-hint">{t('breakout.setup.nobody')}</p>}
        <ul className="breakout-people">
          {people.map((person) => (
            <li key={person.id} className="breakout-people__row">
              <label htmlFor={`${id}-${person.id}`} className="breakout-people__name">
                {person.name}
              </label>
              <select
                id={`${id}-${person.id}`}
                className="select breakout-people__select"
                aria-label={t('breakout.setup.roomFor', { name: person.name })}
                value={String(assigned.get(person.id) ?? '')}
                onChange={(event) => {
                  const value = event.target.value;
                  setAssigned((current) => {
                    const next = new Map(current);
                    if (value === '') next.delete(person.id);
                    else next.set(person.id, Number(value));
                    return next;
                  });
                }}
              >
                <option value="">
                  {mode === 'manual'
                    ? t('breakout.setup.mainRoom')
                    : t('breakout.setup.unassigned')}
                </option>
                {Array.from({ length: shown }, (_, i) => (
                  <option key={i} value={String(i)}>
                    {nameAt(i)}
                  </option>
                ))}
              </select>
            </li>
          ))}
        </ul>
      </fieldset>
      {error !== null && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onDone}>
          {t('breakout.setup.cancel')}
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('breakout.setup.start')}
        </button>
      </div>
    </form>
  );
}
