import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createMeetingViaUi,
  expectMediaFrom,
  joinMeeting,
  tabCaptureArgs,
  waitUntil,
  type Participant,
} from './harness.ts';
import { serverAndBrowserPerFile } from './fileFixture.ts';
import { button, openActions } from './ui.ts';

/** The title of the tab the presenter shares; Chromium picks it without its picker. */
const SHARED_TAB = 'Konvent e2e shared document';

const { env, withPeople } = serverAndBrowserPerFile(tabCaptureArgs(SHARED_TAB));

/** What a page shows and receives of one participant's shared screen. */
interface ScreenProbe {
  /** Frames decoded so far of the screen's inbound stream; null before it exists. */
  framesDecoded: number | null;
  frameWidth: number | null;
  tileName: string | null;
}

/** In-page probe: the inbound video behind `video[data-screen-of=participantId]`. */
async function probeScreen(participantId: string): Promise<ScreenProbe | null> {
  const video = document.querySelector<HTMLVideoElement>(
    `video[data-screen-of="${participantId}"]`,
  );
  const source = video?.srcObject;
  const track = source instanceof MediaStream ? source.getVideoTracks()[0] : undefined;
  if (!video || !track) return null;
  const result: ScreenProbe = {
    framesDecoded: null,
    frameWidth: null,
    tileName: video.closest('figure')?.getAttribute('aria-label') ?? null,
  };
  for (const pc of window.__kvProbe?.peerConnections ?? []) {
    if (pc.signalingState === 'closed') continue;
    const report = await pc.getStats();
    report.forEach(
      (stat: {
        type: string;
        trackIdentifier?: string;
        framesDecoded?: number;
        frameWidth?: number;
      }) => {
        if (stat.type !== 'inbound-rtp' || stat.trackIdentifier !== track.id) return;
        result.framesDecoded = stat.framesDecoded ?? 0;
        result.frameWidth = stat.frameWidth ?? null;
      },
    );
  }
  return result;
}

/** In-page probe: how the page sends its screen share (the track's hint, the encodings). */
function probeScreenSender(): {
  contentHint: string;
  /** [maxFramerate, scaleResolutionDownBy] of each encoding. */
  encodings: [number | null, number | null][];
  degradationPreference: string | null;
} | null {
  for (const pc of window.__kvProbe?.peerConnections ?? []) {
    for (const sender of pc.getSenders()) {
      const track = sender.track;
      if (track?.kind !== 'video' || !track.label.includes('web-contents-media-stream')) continue;
      const parameters = sender.getParameters() as RTCRtpSendParameters & {
        degradationPreference?: string;
      };
      return {
        contentHint: track.contentHint,
        encodings: parameters.encodings.map((e): [number | null, number | null] => [
          e.maxFramerate ?? null,
          e.scaleResolutionDownBy ?? null,
        ]),
        degradationPreference: parameters.degradationPreference ?? null,
      };
    }
  }
  return null;
}

/** Waits until `viewer` decodes new frames of `sharerId`'s screen (two samples a second apart). */
async function expectScreenFrames(viewer: Participant, sharerId: string): Promise<ScreenProbe> {
  const samples: string[] = [];
  return waitUntil(
    `${viewer.name} decodes frames of the shared screen`,
    async () => {
      const first = await viewer.page.evaluate(probeScreen, sharerId);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const second = await viewer.page.evaluate(probeScreen, sharerId);
      samples.push(JSON.stringify(second));
      const before = first?.framesDecoded ?? null;
      const after = second?.framesDecoded ?? null;
      return before !== null && after !== null && after > before
        ? (second ?? undefined)
        : undefined;
    },
    { timeoutMs: 25_000, intervalMs: 0, diagnose: () => Promise.resolve(samples.join('\n')) },
  );
}

test('a participant asks to share, a moderator allows it, the participant shares a browser tab tuned for text and the moderator decodes its frames, then stops the share', async () => {
  await withPeople(async (people) => {
    const { server, browser } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(
      browser,
      server,
      'Screen sharing',
      'Alice',
    );
    people.push(alice);
    const bob = await joinMeeting(browser, meeting.participantLink, 'Bob');
    people.push(bob);
    await expectMediaFrom(alice, ['Bob']);
    const bobId = await alice.page
      .locator('video[data-participant-id]')
      .first()
      .getAttribute('data-participant-id');
    assert.ok(bobId !== null);

    // The tab Bob will share: a document with text, in his own browser.
    const doc = await bob.context.newPage();
    await doc.setContent(
      `<title>${SHARED_TAB}</title><body style="font: 32px serif; margin: 40px">` +
        '<h1>Quarterly figures</h1><p>Revenue rose by 12 % in the third quarter.</p>' +
        '<p id="clock">0</p><script>let n = 0; setInterval(() => { ' +
        "document.getElementById('clock').textContent = String(++n); }, 200);</script></body>",
    );
    await bob.page.bringToFront();

    // A participant may not share yet: he asks, and the moderator allows it.
    await button(bob, 'Ask the moderators to let you share your screen').click();
    await button(bob, 'You asked to share your screen; a moderator decides').waitFor();
    const notice = alice.page
      .getByRole('status')
      .filter({ hasText: 'Bob asks to share their screen.' });
    await notice.waitFor();
    await notice
      .getByRole('button', { name: 'Allow Bob to share their screen', exact: true })
      .click();
    await notice.waitFor({ state: 'detached' });

    await button(bob, 'Share your screen, a window or a tab').click();
    await button(bob, 'Stop sharing your screen').waitFor();
    await bob.page.getByRole('figure', { name: 'Your screen', exact: true }).waitFor();

    const seen = await expectScreenFrames(alice, bobId);
    assert.equal(seen.tileName, 'Bob’s screen');
    assert.ok(
      (seen.frameWidth ?? 0) >= 640,
      `the screen arrives sharp (${String(seen.frameWidth)} px wide)`,
    );
    await alice.page
      .getByRole('region', { name: 'Shared screens', exact: true })
      .getByRole('figure', { name: 'Bob’s screen', exact: true })
      .waitFor();

    // Sent for text: one layer at full resolution, at most 15 fps, detail over motion.
    const sender = await bob.page.evaluate(probeScreenSender);
    assert.ok(sender !== null, 'Bob sends a captured tab');
    assert.equal(sender.contentHint, 'detail');
    assert.deepEqual(sender.encodings, [[15, 1]]);
    assert.equal(sender.degradationPreference, 'maintain-resolution');

    // The moderator stops it: Bob is told, the tiles go, the capture ends.
    await (
      await openActions(alice, 'Bob')
    )
      .getByRole('menuitem', { name: 'Stop screen share', exact: true })
      .click();
    await bob.page
      .getByRole('status')
      .filter({ hasText: 'A moderator stopped your screen share.' })
      .waitFor();
    await button(bob, 'Share your screen, a window or a tab').waitFor();
    await alice.page.locator(`video[data-screen-of="${bobId}"]`).waitFor({ state: 'detached' });
    assert.equal(await bob.page.evaluate(probeScreenSender), null, 'the capture has ended');
  });
});
