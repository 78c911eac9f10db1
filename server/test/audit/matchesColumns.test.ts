import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  eventClassOf,
  eventContent,
  matchesColumns,
  type AuditEventInput,
  type AuditRow,
} from '../../src/audit/events.ts';
import { canonicalJson } from '../../src/audit/leaf.ts';

const TIME = new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 6));

function rowOf(seq: number, input: AuditEventInput, source?: string): [AuditRow, string] {
  const text = canonicalJson(eventContent(seq, TIME, input, source));
  const row: AuditRow = {
    seq,
    recordedAt: TIME.toISOString(),
    action: input.action,
    actorKind: input.actor.kind,
    actorId: input.actor.id,
    target: input.target ?? null,
    meetingId: input.meetingId ?? null,
    outcome: input.outcome,
    source: source ?? null,
    eventClass: eventClassOf(input.action),
    content: Buffer.from(text),
    salt: null,
    leafHash: Buffer.alloc(32),
    erasedAt: null,
  };
  return [row, text];
}

const EVENTS: [AuditEventInput, string | undefined][] = [
  [
    { action: 'server.start', actor: { kind: 'system', id: 'server' }, outcome: 'success' },
    undefined,
  ],
  [
    {
      action: 'meeting.joined',
      actor: { kind: 'participant', id: 'p-1' },
      target: 't',
      meetingId: 'm',
      outcome: 'denied',
      details: { quote: 'a "}," b \\', nested: { seq: 5, list: [{ x: '{' }] } },
    },
    '198.51.100.0/24',
  ],
  [
    {
      action: 'config.changed',
      actor: { kind: 'user', id: 'ü-ß' },
      meetingId: 'm-9',
      outcome: 'failure',
      details: {},
    },
    '2001:db8::/48',
  ],
];

describe('comparing columns with content without parsing', () => {
  test('every well-formed event matches its own columns', () => {
    EVENTS.forEach(([input, source], seq) => {
      const [row, text] = rowOf(seq * 1000, input, source);
      assert.ok(matchesColumns(row, text), `event ${String(seq)}`);
    });
  });

  test('any differing column, seq or layout is not a match', () => {
    const [row, text] = rowOf(7, EVENTS[1]?.[0] as AuditEventInput, '198.51.100.0/24');
    const changes: Partial<Record<keyof AuditRow, unknown>>[] = [
      { seq: 8 },
      { recordedAt: '2030-01-02T03:04:05.007Z' },
      { action: 'meeting.left', eventClass: 'meeting' },
      { eventClass: 'server' },
      { actorKind: 'user' },
      { actorId: 'p-2' },
      { actorId: null },
      { target: null },
      { target: 'u' },
      { meetingId: null },
      { outcome: 'success' },
      { source: null },
    ];
    for (const change of changes) {
      const changed = { ...row, ...change } as AuditRow;
      const what = JSON.stringify(change);
      assert.equal(matchesColumns(changed, text), false, what);
    }
    // Something hidden beside the details, or text around the object, is not a match.
    const sneaky = text.replace('"meeting":', '"seq":99,"meeting":');
    assert.equal(matchesColumns(row, sneaky), false);
    const spaced = text.replace('"outcome":', ' "outcome":');
    assert.equal(matchesColumns(row, spaced), false);
  });

  test('a column holding a quote never matches by shifting the comparison', () => {
    const [row, text] = rowOf(1, {
      action: 'meeting.joined',
      actor: { kind: 'participant', id: 'a' },
      target: 'x","kind":"y',
      outcome: 'success',
    });
    assert.equal(matchesColumns(row, text), false);
  });
});
