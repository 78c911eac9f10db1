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
import { button, cameraShown, heading, participantEntry, tile } from './ui.ts';

const { env, withPeople } = serverAndBrowserPerFile();

/** Opens the actions menu of `name` in `moderator`'s participant list and returns the menu. */
async function openActions(moderator: Participant, name: string): Promise<Locator> {
  const entry = await participantEntry(moderator, name);
  await entry.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  const menu = moderator.page.getByRole('menu', { name: `Actions for ${name}`, exact: true });
  await menu.waitFor();
  return menu;
}

/** The packets received so far on `person`'s only inbound audio stream. */
async function audioPackets(person: Participant): Promise<number> {
  const { inboundAudio } = await media(person);
  assert.equal(inboundAudio.length, 1, `${person.name} receives exactly one audio stream`);
  return inboundAudio[0]?.packetsReceived ?? 0;
}

/**
 * Waits until two samples of `person`'s inbound audio, `gapMs` apart, are equal (`rising`
 * false) or differ (`rising` true). Each failed attempt starts a fresh pair, so packets
 * still in flight when the order was given cannot make the check pass or fail.
 */
async function expectAudio(person: Participant, rising: boolean, gapMs = 2000): Promise<void> {
  const samples: number[] = [];
  await waitUntil(
    `${person.name}'s inbound audio ${rising ? 'rises' : 'stops'}`,
    async () => {
      const first = await audioPackets(person);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
      const second = await audioPackets(person);
      samples.push(first, second);
      return second > first === rising ? true : undefined;
    },
    {
      timeoutMs: 20_000,
      intervalMs: 0,
      diagnose: () => Promise.resolve(`packetsReceived samples: ${samples.join(', ')}`),
    },
  );
}

test('a moderator mutes a participant and stops their camera (they are told and can turn both on again), makes them presenter, then removes them', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(b, srv, 'Moderated', 'Alice');
    people.push(alice);
    const bob = await joinMeeting(b, meeting.participantLink, 'Bob');
    people.push(bob);
    await expectMediaFrom(alice, ['Bob']);

    const bobEntry = await participantEntry(alice, 'Bob');
    await bobEntry.getByRole('img', { name: 'Microphone on', exact: true }).waitFor();
    assert.equal(
      await (
        await participantEntry(bob, 'Alice')
      )
        .getByRole('button', { name: 'Actions for Alice', exact: true })
        .count(),
      0,
      'a participant gets no moderator actions',
    );

    const menu = await openActions(alice, 'Bob');
    await menu.getByRole('menuitem', { name: 'Mute', exact: true }).click();
    await menu.waitFor({ state: 'detached' });

    await bob.page
      .getByRole('status')
      .filter({ hasText: 'A moderator muted your microphone' })
      .waitFor();
    await button(bob, 'Unmute microphone').waitFor();
    await waitUntil('Bob no longer holds a live microphone track', async () => {
      const { audioSenders } = await media(bob);
      return audioSenders.every((sender) => sender.trackState !== 'live') ? true : undefined;
    });
    await bobEntry.getByRole('img', { name: 'Microphone off', exact: true }).waitFor();
    await expectAudio(alice, false);

    // Muting is not a lock: Bob may speak again.
    await button(bob, 'Unmute microphone').click();
    await button(bob, 'Mute microphone').waitFor();
    await expectAudio(alice, true);

    // A stopped camera is closed on the server; turning it on again sends a new one.
    await (
      await openActions(alice, 'Bob')
    )
      .getByRole('menuitem', { name: 'Stop camera', exact: true })
      .click();
    await bob.page
      .getByRole('status')
      .filter({ hasText: 'A moderator turned off your camera' })
      .waitFor();
    await button(bob, 'Turn camera on').waitFor();
    await waitUntil("Alice sees Bob's camera off", async () =>
      (await cameraShown(alice, 'Bob')) === 'off' ? true : undefined,
    );
    await button(bob, 'Turn camera on').click();
    await expectMediaFrom(alice, ['Bob']);

    // Escape closes only the menu, not the participant list around it.
    const roles = await openActions(alice, 'Bob');
    await alice.page.keyboard.press('Escape');
    await roles.waitFor({ state: 'detached' });
    await (
      await openActions(alice, 'Bob')
    )
      .getByRole('menuitem', { name: 'Make presenter', exact: true })
      .click();
    await bobEntry.getByText('Presenter', { exact: true }).waitFor();
    await (await participantEntry(bob, 'Bob')).getByText('Presenter', { exact: true }).waitFor();

    const again = await openActions(alice, 'Bob');
    await again.getByRole('menuitem', { name: 'Remove', exact: true }).click();
    const dialog = alice.page.getByRole('dialog', { name: 'Remove Bob from the meeting?' });
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();

    await heading(bob, 'You have left the meeting').waitFor();
    await bob.page.getByText('A moderator has removed you from the meeting.').waitFor();
    await (await participantEntry(alice, 'Bob')).waitFor({ state: 'detached' });
    await tile(alice, 'Bob').waitFor({ state: 'detached' });
    await dialog.waitFor({ state: 'hidden' });
  });
});

test('a moderator locks microphones: the participant’s microphone is stopped and its button disabled, their audio stops; unlocked, they can unmute', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(b, srv, 'Locked', 'Alice');
    people.push(alice);
    const bob = await joinMeeting(b, meeting.participantLink, 'Bob');
    people.push(bob);
    await expectMediaFrom(alice, ['Bob']);
    await expectAudio(alice, true);

    await participantEntry(alice, 'Bob');
    await button(alice, 'Lock settings: what participants may do').click();
    const dialog = alice.page.getByRole('dialog', { name: 'Lock settings' });
    const micLock = dialog.getByRole('checkbox', { name: 'Lock microphones', exact: true });
    await micLock.check();

    const locked = button(bob, 'Microphone locked by a moderator');
    await locked.waitFor();
    assert.equal(await locked.isDisabled(), true, 'the locked microphone button is disabled');
    await bob.page
      .getByRole('status')
      .filter({ hasText: 'A moderator has locked microphones.' })
      .waitFor();
    await expectAudio(alice, false);
    // The moderator is not locked.
    await button(alice, 'Mute microphone').waitFor();

    await micLock.uncheck();
    await dialog.getByRole('button', { name: 'Done', exact: true }).click();
    await button(bob, 'Unmute microphone').click();
    await button(bob, 'Mute microphone').waitFor();
    await expectAudio(alice, true);
  });
});
