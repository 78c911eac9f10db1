import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createMeetingViaApi,
  createMeetingViaUi,
  englishLink,
  expectMediaFrom,
  joinAsOrganiser,
  joinMeeting,
  media,
  openParticipant,
  waitForDevicePreview,
  waitUntil,
  type Participant,
} from './harness.ts';
import { serverAndBrowserPerFile } from './fileFixture.ts';
import {
  button,
  cameraShown,
  expectChatMessage,
  heading,
  openActions,
  participantEntry,
  sendChat,
  tile,
} from './ui.ts';

const { env, withPeople } = serverAndBrowserPerFile();

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

test('a guest waits in the lobby until the moderator admits them; they exchange media; muted, their audio stops; removed and banned, they are told why and the same link does not let them back', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const meeting = await createMeetingViaApi(srv, 'Lobby', {
      guestPolicy: 'ask_moderator',
      passcode: 'generate',
      lockAfterStartMinutes: null,
    });
    const passcode = meeting.passcode ?? '';
    assert.match(passcode, /^\d{8}$/);
    const alice = await joinAsOrganiser(b, srv, meeting.moderatorLink, 'Alice');
    people.push(alice);

    // The guest's name carries markup: it must show as text everywhere.
    const guestName = 'Bob <b>Gast</b>';
    const bob = await openParticipant(b, guestName);
    people.push(bob);
    await bob.page.goto(englishLink(meeting.participantLink));
    await bob.page.getByText('A moderator will let you in', { exact: false }).waitFor();
    await bob.page.getByRole('textbox', { name: 'Your name', exact: true }).fill(guestName);
    await bob.page.getByLabel('Meeting passcode', { exact: true }).fill(passcode);
    await waitForDevicePreview(bob.page);
    await button(bob, 'Join meeting').click();
    await bob.page.getByText('A moderator has been asked to let you in.').waitFor();
    assert.equal(
      await bob.page.getByRole('region', { name: 'Video grid', exact: true }).count(),
      0,
      'nothing of the meeting is shown in the lobby',
    );

    await button(alice, 'Waiting room').click();
    await alice.page.getByText(guestName, { exact: true }).first().waitFor();
    await button(alice, `Admit ${guestName}`).click();
    await bob.page
      .getByRole('region', { name: 'Video grid', exact: true })
      .waitFor({ timeout: 20_000 });
    await expectMediaFrom(alice, [guestName]);
    await expectMediaFrom(bob, ['Alice']);
    await expectAudio(alice, true);

    // A chat message with markup and a script hook renders as text and runs nothing.
    const attack = '<img src=x onerror="window.__pwned=1">hello';
    await sendChat(alice, attack);
    await expectChatMessage(bob, attack);
    assert.equal(await bob.page.evaluate(() => 'pwned' in window || '__pwned' in window), false);
    assert.equal(await bob.page.locator('img[src="x"]').count(), 0);

    await (
      await openActions(alice, guestName)
    )
      .getByRole('menuitem', { name: 'Mute', exact: true })
      .click();
    await expectAudio(alice, false);

    await (
      await openActions(alice, guestName)
    )
      .getByRole('menuitem', { name: 'Remove and ban', exact: true })
      .click();
    const dialog = alice.page.getByRole('dialog', { name: `Remove and ban ${guestName}?` });
    await dialog.getByRole('button', { name: 'Remove and ban', exact: true }).click();
    await heading(bob, 'You have been removed from the meeting').waitFor();
    await bob.page.getByText('You cannot join it again.', { exact: false }).waitFor();
    assert.equal(await button(bob, 'Rejoin').count(), 0, 'a banned guest is offered no rejoin');

    // The same link, from the same browser: refused with a reason. (A fresh load: the link
    // differs from the current address only in its fragment.)
    await bob.page.goto('about:blank');
    await bob.page.goto(englishLink(meeting.participantLink));
    await bob.page.getByRole('textbox', { name: 'Your name', exact: true }).fill(guestName);
    await bob.page.getByLabel('Meeting passcode', { exact: true }).fill(passcode);
    await button(bob, 'Join meeting').click();
    await bob.page.getByText('You cannot join this meeting', { exact: false }).waitFor();
  });
});
