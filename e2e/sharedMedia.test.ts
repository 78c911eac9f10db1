import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeMedia } from '../server/test/helpers/mediaFixture.ts';
import {
  createMeetingViaUi,
  foreignRequests,
  joinMeeting,
  waitUntil,
  type Participant,
} from './harness.ts';
import { serverAndBrowserPerFile } from './fileFixture.ts';
import { button } from './ui.ts';

const { env, withPeople } = serverAndBrowserPerFile();

/** In-page probe: the shared media player's position, sampled with the wall clock. */
function probePlayer(): { time: number; paused: boolean; wall: number; ready: number } | null {
  const video = document.querySelector<HTMLVideoElement>('section[data-media] video');
  if (!video) return null;
  return {
    time: video.currentTime,
    paused: video.paused,
    wall: Date.now(),
    ready: video.readyState,
  };
}

/** Both players' positions at the same instant (the later sample taken back by the wall clock). */
async function gap(a: Participant, b: Participant): Promise<number> {
  const [pa, pb] = await Promise.all([a.page.evaluate(probePlayer), b.page.evaluate(probePlayer)]);
  assert.ok(pa && pb);
  const playing = !pa.paused && !pb.paused;
  const shift = playing ? (pb.wall - pa.wall) / 1000 : 0;
  return Math.abs(pa.time + shift - pb.time);
}

async function playingPast(person: Participant, seconds: number): Promise<void> {
  await waitUntil(
    `${person.name}'s player plays past ${String(seconds)} s`,
    async () => {
      const probe = await person.page.evaluate(probePlayer);
      return probe !== null && !probe.paused && probe.time > seconds ? true : undefined;
    },
    { timeoutMs: 20_000 },
  );
}

test('the moderator uploads a video and plays it; two viewers and a late joiner play the same second (within 0.5 s), pause together, and it streams only from our server', async () => {
  await withPeople(async (people) => {
    const { server, browser } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(
      browser,
      server,
      'Film evening',
      'Alice',
    );
    people.push(alice);
    const bob = await joinMeeting(browser, meeting.participantLink, 'Bob');
    people.push(bob);
    const carol = await joinMeeting(browser, meeting.participantLink, 'Carol');
    people.push(carol);

    // Playing media is offered to moderators and presenters only.
    assert.equal(
      await button(bob, 'Upload an audio or video file and play it for everyone').count(),
      0,
    );
    await alice.page.locator('input[data-media-input]').setInputFiles({
      name: 'Holiday.webm',
      mimeType: 'video/webm',
      buffer: makeMedia('webm', 120),
    });
    const aliceStage = alice.page.getByRole('region', { name: 'Shared media Holiday.webm' });
    await aliceStage.waitFor();
    for (const viewer of [bob, carol]) {
      const stage = viewer.page.getByRole('region', { name: 'Shared media Holiday.webm' });
      await stage.waitFor();
      // Viewers follow; they get no play button, only their own volume.
      assert.equal(await stage.getByRole('button', { name: 'Play for everyone' }).count(), 0);
      await stage.getByRole('slider', { name: 'Volume (only for you)' }).waitFor();
    }

    await aliceStage.getByRole('button', { name: 'Play for everyone' }).click();
    await playingPast(bob, 3);
    await playingPast(carol, 3);
    const gaps: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      gaps.push(await gap(bob, carol));
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    assert.ok(
      gaps.every((g) => g < 0.5),
      `Bob and Carol play apart by ${gaps.map((g) => g.toFixed(3)).join(', ')} s`,
    );

    // A late joiner starts where everyone is, not at the beginning.
    const dave = await joinMeeting(browser, meeting.participantLink, 'Dave');
    people.push(dave);
    const bobNow = await bob.page.evaluate(probePlayer);
    assert.ok(bobNow !== null && bobNow.time > 3);
    await playingPast(dave, bobNow.time - 0.5);
    let lastGap = Number.NaN;
    const daveGap = await waitUntil(
      'Dave plays in step with Bob',
      async () => {
        lastGap = await gap(bob, dave);
        return lastGap < 0.5 ? lastGap : undefined;
      },
      { timeoutMs: 10_000, diagnose: () => Promise.resolve(`last gap ${lastGap.toFixed(3)} s`) },
    );
    assert.ok(daveGap < 0.5);

    await aliceStage.getByRole('button', { name: 'Pause for everyone' }).click();
    for (const viewer of [bob, carol, dave])
      await waitUntil(`${viewer.name}'s player pauses`, async () => {
        const probe = await viewer.page.evaluate(probePlayer);
        return probe?.paused === true ? true : undefined;
      });
    await waitUntil('the paused players show the same second', async () => {
      const g = Math.max(await gap(bob, carol), await gap(bob, dave));
      return g < 0.5 ? true : undefined;
    });
    await bob.page
      .getByRole('region', { name: 'Shared media Holiday.webm' })
      .getByText('Paused', { exact: true })
      .waitFor();

    // The file came from our server with range requests; nothing from elsewhere.
    assert.ok(bob.requests.some((r) => /\/api\/meetings\/[^/]+\/media\/[^/]+$/.test(r.url)));
    assert.deepEqual(foreignRequests(people, server.origin), []);

    await aliceStage.getByRole('button', { name: 'Stop sharing the media' }).click();
    await bob.page.getByRole('region', { name: 'Shared media Holiday.webm' }).waitFor({
      state: 'detached',
    });

    // Played again from the meeting's uploads, without sending the file once more.
    await button(alice, 'Upload an audio or video file and play it for everyone').click();
    await alice.page
      .getByRole('group', { name: 'Upload an audio or video file and play it for everyone' })
      .getByRole('button', { name: /Holiday\.webm/ })
      .click();
    await bob.page.getByRole('region', { name: 'Shared media Holiday.webm' }).waitFor();
    const uploads = alice.requests.filter((r) =>
      /\/api\/meetings\/[^/]+\/media\?name=/.test(r.url),
    );
    assert.equal(uploads.length, 1);
  });
});
