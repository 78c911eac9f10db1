import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import {
  createMeetingViaUi,
  expectMediaFrom,
  joinMeeting,
  media,
  waitUntil,
  type Participant,
} from './harness.ts';
import { serverAndBrowserPerFile } from './fileFixture.ts';
import { button, heading } from './ui.ts';

const { env, withPeople } = serverAndBrowserPerFile();

/** The breakout room banner on `person`'s page ("You are in breakout room …"). */
function roomBanner(person: Participant, room: string): Locator {
  return person.page.getByRole('region', { name: `You are in breakout room ${room}`, exact: true });
}

/** The names on the tiles of `person`'s video grid, sorted. */
async function gridNames(person: Participant): Promise<string[]> {
  const grid = person.page.getByRole('region', { name: 'Video grid', exact: true });
  const names = await grid
    .getByRole('figure')
    .evaluateAll((figures) => figures.map((f) => f.getAttribute('aria-label') ?? ''));
  return names.sort();
}

/** Waits until `person`'s grid shows exactly `names` (self as "Name (you)"). */
async function expectGrid(person: Participant, names: string[]): Promise<void> {
  const wanted = [...names].sort();
  let last: string[] = [];
  await waitUntil(
    `${person.name} sees exactly ${wanted.join(', ')}`,
    async () => {
      last = await gridNames(person);
      return JSON.stringify(last) === JSON.stringify(wanted) ? true : undefined;
    },
    {
      timeoutMs: 20_000,
      diagnose: () => Promise.resolve(`${person.name}'s grid: ${last.join(', ')}`),
    },
  );
}

/** Opens the moderators' breakout dialog and returns it. */
async function openBreakouts(moderator: Participant): Promise<Locator> {
  await button(moderator, 'Breakout rooms').click();
  const dialog = moderator.page.getByRole('dialog', { name: 'Breakout rooms', exact: true });
  await dialog.waitFor();
  return dialog;
}

test('a moderator opens two breakout rooms, assigns people, broadcasts, moves someone and ends the rooms', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(b, srv, 'Workshop', 'Alice');
    people.push(alice);
    const [bob, carol, dave] = await Promise.all(
      ['Bob', 'Carol', 'Dave'].map((name) => joinMeeting(b, meeting.participantLink, name)),
    );
    assert.ok(bob && carol && dave);
    people.push(bob, carol, dave);
    await expectGrid(alice, ['Alice (you)', 'Bob', 'Carol', 'Dave']);
    assert.equal(await button(bob, 'Breakout rooms').count(), 0, 'participants get no button');

    // Two rooms, assigned by hand: Bob and Carol to Room 1, Dave to Room 2; Alice stays.
    const setup = await openBreakouts(alice);
    await setup.getByRole('spinbutton', { name: 'Number of rooms', exact: true }).fill('2');
    await setup.getByRole('radio', { name: 'I assign everyone myself', exact: true }).check();
    const roomFor = (name: string) =>
      setup.getByRole('combobox', { name: `Room for ${name}`, exact: true });
    await roomFor('Bob').selectOption({ label: 'Room 1' });
    await roomFor('Carol').selectOption({ label: 'Room 1' });
    await roomFor('Dave').selectOption({ label: 'Room 2' });
    await setup.getByRole('button', { name: 'Open rooms', exact: true }).click();
    await setup.waitFor({ state: 'hidden' });

    await Promise.all([
      roomBanner(bob, 'Room 1').waitFor({ timeout: 20_000 }),
      roomBanner(carol, 'Room 1').waitFor({ timeout: 20_000 }),
      roomBanner(dave, 'Room 2').waitFor({ timeout: 20_000 }),
    ]);
    assert.match((await roomBanner(bob, 'Room 1').textContent()) ?? '', /back to main room in/);
    await expectGrid(bob, ['Bob (you)', 'Carol']);
    await expectGrid(carol, ['Bob', 'Carol (you)']);
    await expectGrid(dave, ['Dave (you)']);
    await expectMediaFrom(bob, ['Carol']);
    assert.equal(await button(bob, 'Return to main room').count(), 0, 'only moderators go back');
    // The moderator, in the main room, sees the rooms running.
    await alice.page.getByText(/Breakout rooms are open: 2 rooms/).waitFor();
    // In the main room they have no tiles, and their main meeting connection holds no media:
    // each sends once (to the room), not twice.
    await expectGrid(alice, ['Alice (you)']);
    for (const person of [bob, carol, dave]) {
      await waitUntil(`${person.name} sends to the room only`, async () => {
        const { audioSenders, videoSenders } = await media(person);
        return audioSenders.length === 1 && videoSenders.length === 1 ? true : undefined;
      });
    }

    // A broadcast reaches every room.
    let panel = await openBreakouts(alice);
    await panel
      .getByRole('textbox', { name: 'Message to all rooms', exact: true })
      .fill('Five minutes left, please wrap up');
    await panel.getByRole('button', { name: 'Send to all rooms', exact: true }).click();
    for (const person of [bob, carol, dave]) {
      await person.page
        .getByRole('alert')
        .filter({ hasText: 'Five minutes left, please wrap up' })
        .waitFor();
    }

    // Dave is moved to Room 1 and lands there.
    await panel
      .getByRole('combobox', { name: 'Move Dave', exact: true })
      .selectOption({ label: 'Room 1' });
    await roomBanner(dave, 'Room 1').waitFor({ timeout: 20_000 });
    await expectGrid(dave, ['Bob', 'Carol', 'Dave (you)']);
    await expectGrid(bob, ['Bob (you)', 'Carol', 'Dave']);

    // Carol is moved back to the main room.
    await panel
      .getByRole('combobox', { name: 'Move Carol', exact: true })
      .selectOption({ label: 'Main room' });
    await roomBanner(carol, 'Room 1').waitFor({ state: 'detached', timeout: 20_000 });
    await expectGrid(carol, ['Alice', 'Carol (you)']);
    await expectGrid(alice, ['Alice (you)', 'Carol']);
    await expectGrid(bob, ['Bob (you)', 'Dave']);

    // "End now" (asked once more) brings everyone back to the main room.
    panel = alice.page.getByRole('dialog', { name: 'Breakout rooms', exact: true });
    await panel.getByRole('button', { name: 'End now', exact: true }).click();
    await panel.getByText('Close all rooms now and bring everyone back').waitFor();
    await panel.getByRole('button', { name: 'End now', exact: true }).click();
    await panel.waitFor({ state: 'hidden' });
    for (const person of [bob, dave]) {
      await roomBanner(person, 'Room 1').waitFor({ state: 'detached', timeout: 20_000 });
    }
    for (const person of [bob, carol, dave]) {
      await expectGrid(
        person,
        ['Alice', 'Bob', 'Carol', 'Dave'].map((n) => (n === person.name ? `${n} (you)` : n)),
      );
    }
    await expectMediaFrom(alice, ['Bob', 'Carol', 'Dave'], 30_000);
  });
});

test('participants pick their rooms, a moderator visits one and returns, then random rooms spread everyone; ending the meeting from a room ends it all', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(b, srv, 'Choices', 'Alice');
    people.push(alice);
    const [bob, carol] = await Promise.all(
      ['Bob', 'Carol'].map((name) => joinMeeting(b, meeting.participantLink, name)),
    );
    assert.ok(bob && carol);
    people.push(bob, carol);
    await expectGrid(alice, ['Alice (you)', 'Bob', 'Carol']);

    let dialog = await openBreakouts(alice);
    await dialog
      .getByRole('radio', { name: 'Let participants choose a room', exact: true })
      .check();
    await dialog.getByRole('button', { name: 'Open rooms', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await bob.page.getByRole('heading', { name: 'Pick a breakout room', exact: true }).waitFor();
    await button(bob, 'Join Room 2').click();
    await button(carol, 'Join Room 1').click();
    await roomBanner(bob, 'Room 2').waitFor({ timeout: 20_000 });
    await roomBanner(carol, 'Room 1').waitFor({ timeout: 20_000 });
    await expectGrid(bob, ['Bob (you)']);

    // The moderator visits Room 2 and comes back.
    dialog = await openBreakouts(alice);
    await dialog.getByRole('button', { name: 'Visit Room 2', exact: true }).click();
    await roomBanner(alice, 'Room 2').waitFor({ timeout: 20_000 });
    await expectGrid(bob, ['Alice', 'Bob (you)']);
    await expectMediaFrom(bob, ['Alice']);
    await button(alice, 'Return to main room').click();
    await roomBanner(alice, 'Room 2').waitFor({ state: 'detached', timeout: 20_000 });
    await expectGrid(bob, ['Bob (you)']);
    await expectGrid(alice, ['Alice (you)']);

    // End, then random rooms: one person per room, nobody left in the main room.
    dialog = await openBreakouts(alice);
    await dialog.getByRole('button', { name: 'End now', exact: true }).click();
    await dialog.getByRole('button', { name: 'End now', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectGrid(bob, ['Alice', 'Bob (you)', 'Carol']);
    dialog = await openBreakouts(alice);
    await dialog.getByRole('radio', { name: 'Spread everyone at random', exact: true }).check();
    await dialog.getByRole('button', { name: 'Open rooms', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const rooms = await Promise.all(
      [bob, carol].map(async (person) => {
        const banner = person.page.getByRole('region', { name: /^You are in breakout room / });
        await banner.waitFor({ timeout: 20_000 });
        return (await banner.getAttribute('aria-label')) ?? '';
      }),
    );
    assert.notEqual(rooms[0], rooms[1], 'two people over two rooms: one each');
    await expectGrid(bob, ['Bob (you)']);
    await expectGrid(alice, ['Alice (you)']);

    // From inside a room, "End meeting for all" ends the main meeting, rooms and all.
    dialog = await openBreakouts(alice);
    await dialog.getByRole('button', { name: 'Visit Room 1', exact: true }).click();
    await roomBanner(alice, 'Room 1').waitFor({ timeout: 20_000 });
    await button(alice, 'End meeting for all').click();
    await alice.page
      .getByRole('dialog')
      .getByRole('button', { name: 'End meeting', exact: true })
      .click();
    await Promise.all(
      people.map((person) => heading(person, 'The meeting has ended').waitFor({ timeout: 20_000 })),
    );
  });
});
