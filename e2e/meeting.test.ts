import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  completePreJoin,
  createMeetingViaApi,
  createMeetingViaUi,
  joinAsOrganiser,
  englishLink,
  expectMediaFrom,
  foreignRequests,
  joinMeeting,
  media,
  openParticipant,
  waitUntil,
  type Participant,
} from './harness.ts';
import { serverAndBrowserPerFile } from './fileFixture.ts';
import {
  button,
  chatContains,
  expectChatMessage,
  heading,
  openChat,
  participantEntry,
  sendChat,
  tile,
  cameraShown,
} from './ui.ts';

const { env, withPeople } = serverAndBrowserPerFile();

/** A chat text that cannot match anything else on the page. */
function uniqueText(prefix: string): string {
  return `${prefix} ${randomBytes(4).toString('hex')}`;
}

/** P2: asserts that no page of `people` talked to any origin but the server's own. */
function assertOnlyOwnOrigin(people: Participant[]): void {
  const { server: own } = env();
  assert.ok(
    people.every((person) => person.requests.length > 0),
    'requests were recorded',
  );
  assert.deepEqual(
    foreignRequests(people, own.origin),
    [],
    `requests to origins other than ${own.origin}`,
  );
}

test('two people who join a meeting see and hear each other, chat both ways, and see each other leave', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(b, srv, 'Weekly sync', 'Alice');
    people.push(alice);
    const bob = await joinMeeting(b, meeting.participantLink, 'Bob');
    people.push(bob);

    await tile(alice, 'Bob').waitFor();
    await tile(bob, 'Alice').waitFor();
    await Promise.all([expectMediaFrom(alice, ['Bob']), expectMediaFrom(bob, ['Alice'])]);

    const hello = uniqueText('Hello Bob');
    await sendChat(alice, hello);
    await expectChatMessage(bob, hello);
    const reply = uniqueText('Hi Alice');
    await sendChat(bob, reply);
    await expectChatMessage(alice, reply);

    await (await participantEntry(alice, 'Bob')).waitFor();
    await button(bob, 'Leave meeting').click();
    await heading(bob, 'You have left the meeting').waitFor();
    await (await participantEntry(alice, 'Bob')).waitFor({ state: 'detached' });
    await tile(alice, 'Bob').waitFor({ state: 'detached' });

    assertOnlyOwnOrigin(people);
  });
});

test('in a meeting of three everyone receives both others, and a private message reaches only its recipient', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const { moderator: carol, meeting } = await createMeetingViaUi(b, srv, 'Three', 'Carol');
    people.push(carol);
    people.push(await joinMeeting(b, meeting.participantLink, 'Dave'));
    people.push(await joinMeeting(b, meeting.participantLink, 'Erin'));
    const [, dave, erin] = people as [Participant, Participant, Participant];

    await Promise.all(
      people.map((person) =>
        expectMediaFrom(
          person,
          people.filter((other) => other !== person).map((other) => other.name),
          30_000,
        ),
      ),
    );
    for (const person of people) {
      const { remoteVideos } = await media(person);
      assert.equal(remoteVideos.length, 2, `${person.name} shows two remote videos`);
    }

    const secret = uniqueText('For Erin only');
    await sendChat(carol, secret, 'Erin');
    await expectChatMessage(erin, secret);
    // Erin sends a public message after the private one was delivered; once Dave has it,
    // the private one would have arrived before it, so its absence is conclusive.
    const marker = uniqueText('Public after private');
    await sendChat(erin, marker);
    await expectChatMessage(dave, marker);
    await expectChatMessage(carol, marker);
    assert.equal(await chatContains(dave, secret), false, 'Dave must not see the private message');
    assert.equal(await chatContains(carol, secret), true, 'the sender sees her private message');

    assertOnlyOwnOrigin(people);
  });
});

test("a moderator deletes a chat message after confirming, and it disappears from the other person's chat too", async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const { moderator: heidi, meeting } = await createMeetingViaUi(b, srv, 'Tidy', 'Heidi');
    people.push(heidi);
    const ivan = await joinMeeting(b, meeting.participantLink, 'Ivan');
    people.push(ivan);

    const rude = uniqueText('Something rude');
    await sendChat(ivan, rude);
    await expectChatMessage(heidi, rude);
    const kept = uniqueText('Something kind');
    await sendChat(ivan, kept);
    await expectChatMessage(heidi, kept);
    // Only moderators are offered the action.
    assert.equal(
      await ivan.page.getByRole('button', { name: 'Delete message from Ivan' }).count(),
      0,
    );

    const log = await openChat(heidi);
    await log
      .getByRole('article')
      .filter({ hasText: rude })
      .getByRole('button', { name: 'Delete message from Ivan', exact: true })
      .click();
    const dialog = heidi.page.getByRole('dialog', { name: 'Delete this message?', exact: true });
    await dialog.getByRole('button', { name: 'Delete message', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const ivanLog = await openChat(ivan);
    await ivanLog.getByText(rude, { exact: false }).waitFor({ state: 'detached' });
    await log.getByText(rude, { exact: false }).waitFor({ state: 'detached' });
    assert.equal(await chatContains(ivan, kept), true, 'the other message stays');

    // A message that arrives while Ivan's chat is closed counts as unread, until it is deleted.
    const chatButton = ivan.page.getByRole('button', { name: 'Chat', exact: true });
    await chatButton.click();
    await ivanLog.waitFor({ state: 'hidden' });
    const oops = uniqueText('Oops, wrong meeting');
    await sendChat(heidi, oops);
    await chatButton.locator('.badge').filter({ hasText: '1' }).waitFor();
    await log
      .getByRole('article')
      .filter({ hasText: oops })
      .getByRole('button', { name: 'Delete message from Heidi', exact: true })
      .click();
    await dialog.getByRole('button', { name: 'Delete message', exact: true }).click();
    await chatButton.locator('.badge').waitFor({ state: 'detached' });
  });
});

test('turning the camera off stops the camera track and shows it off to others; turning it on brings video back', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const { moderator: frank, meeting } = await createMeetingViaUi(b, srv, 'Camera', 'Frank');
    people.push(frank);
    const grace = await joinMeeting(b, meeting.participantLink, 'Grace');
    people.push(grace);
    await expectMediaFrom(grace, ['Frank']);
    assert.ok(
      (await media(frank)).videoSenders.some((sender) => sender.trackState === 'live'),
      'Frank sends a live camera track',
    );
    assert.equal(await cameraShown(grace, 'Frank'), 'on', "Frank's camera shows as on");

    await button(frank, 'Turn camera off').click();
    await button(frank, 'Turn camera on').waitFor();
    await waitUntil(
      'Frank no longer holds a live camera track',
      async () => {
        const { videoSenders } = await media(frank);
        return videoSenders.every((sender) => sender.trackState !== 'live') ? true : undefined;
      },
      { diagnose: async () => JSON.stringify((await media(frank)).videoSenders) },
    );
    await waitUntil("Grace sees Frank's camera off", async () =>
      (await cameraShown(grace, 'Frank')) === 'off' ? true : undefined,
    );

    await button(frank, 'Turn camera on').click();
    await button(frank, 'Turn camera off').waitFor();
    await waitUntil("Grace sees Frank's camera on", async () =>
      (await cameraShown(grace, 'Frank')) === 'on' ? true : undefined,
    );
    await expectMediaFrom(grace, ['Frank']);
    assertOnlyOwnOrigin(people);
  });
});

test('a moderator who ends the meeting for all sends everyone to "The meeting has ended"', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const { moderator: heidi, meeting } = await createMeetingViaUi(b, srv, 'Ending', 'Heidi');
    people.push(heidi);
    const ivan = await joinMeeting(b, meeting.participantLink, 'Ivan');
    people.push(ivan);
    await tile(ivan, 'Heidi').waitFor();
    assert.equal(
      await button(ivan, 'End meeting for all').count(),
      0,
      'participants cannot end the meeting',
    );

    await button(heidi, 'End meeting for all').click();
    await heidi.page
      .getByRole('dialog')
      .getByRole('button', { name: 'End meeting', exact: true })
      .click();
    await Promise.all(people.map((person) => heading(person, 'The meeting has ended').waitFor()));
    assertOnlyOwnOrigin(people);
  });
});

/** Init script: the devices take two seconds to start, as real cameras often do. */
function slowDevices(): void {
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return getUserMedia(constraints);
  };
}

test('a person who clicks "Join meeting" while the camera is still starting is seen and heard once it has started', async () => {
  await withPeople(async (people) => {
    const { server: srv, browser: b } = env();
    const meeting = await createMeetingViaApi(srv, 'Slow camera');
    const judy = await joinAsOrganiser(b, srv, meeting.moderatorLink, 'Judy');
    people.push(judy);
    const kim = await openParticipant(b, 'Kim');
    people.push(kim);
    await kim.context.addInitScript(slowDevices);
    await kim.page.goto(englishLink(meeting.participantLink));
    await completePreJoin(kim, { waitForDevices: false });
    await button(kim, 'Turn camera off').waitFor();
    await expectMediaFrom(judy, ['Kim'], 15_000);
  });
});
