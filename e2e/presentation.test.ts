import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makePdf } from '../server/test/helpers/pdfFixture.ts';
import { createMeetingViaUi, foreignRequests, joinMeeting, waitUntil } from './harness.ts';
import { serverAndBrowserPerFile } from './fileFixture.ts';
import { button } from './ui.ts';

const { env, withPeople } = serverAndBrowserPerFile();

/** In-page probe: the page the presentation stage has drawn, and whether its canvas has ink. */
function probeStage(): { page: string | null; inked: boolean; position: string | null } | null {
  const stage = document.querySelector<HTMLElement>('section[data-presentation]');
  const canvas = stage?.querySelector('canvas');
  if (!stage || !canvas || canvas.width === 0 || canvas.height === 0) return null;
  const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = false;
  // Dark pixels are the page's text (the page itself is white).
  for (let i = 0; pixels !== undefined && i < pixels.length; i += 4) {
    if ((pixels[i] ?? 255) < 128 && (pixels[i + 3] ?? 0) > 0) {
      inked = true;
      break;
    }
  }
  return {
    page: stage.dataset['page'] ?? null,
    inked,
    position: stage.querySelector('.presentation__position')?.textContent ?? null,
  };
}

test('the moderator uploads a PDF and turns to page 2; the viewer follows and sees page 2 drawn, and nothing is requested from another origin', async () => {
  await withPeople(async (people) => {
    const { server, browser } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(
      browser,
      server,
      'Presentations',
      'Alice',
    );
    people.push(alice);
    const bob = await joinMeeting(browser, meeting.participantLink, 'Bob');
    people.push(bob);

    // Presenting is offered to moderators and presenters only.
    assert.equal(
      await button(bob, 'Upload a presentation (PDF) and show it to everyone').count(),
      0,
    );

    await alice.page.locator('input[data-presentation-input]').setInputFiles({
      name: 'Slides.pdf',
      mimeType: 'application/pdf',
      buffer: makePdf({ pages: 3, marker: 'Konvent e2e' }),
    });
    const aliceStage = alice.page.getByRole('region', { name: 'Presentation Slides.pdf' });
    await aliceStage.getByText('Page 1 of 3', { exact: true }).waitFor();
    await aliceStage.getByRole('button', { name: 'Next', exact: true }).click();
    await aliceStage.getByText('Page 2 of 3', { exact: true }).waitFor();

    const bobStage = bob.page.getByRole('region', { name: 'Presentation Slides.pdf' });
    await bobStage.getByText('Page 2 of 3', { exact: true }).waitFor();
    // Viewers follow; only presenters turn pages.
    assert.equal(await bobStage.getByRole('button', { name: 'Next', exact: true }).count(), 0);
    const drawn = await waitUntil(
      'Bob’s stage has drawn page 2 with text on it',
      async () => {
        const probe = await bob.page.evaluate(probeStage);
        return probe?.page === '2' && probe.inked ? probe : undefined;
      },
      { timeoutMs: 15_000 },
    );
    assert.equal(drawn.position, 'Page 2 of 3');

    // The arrow key turns back for everyone while the moderator's stage has focus.
    await aliceStage.focus();
    await alice.page.keyboard.press('ArrowLeft');
    await bobStage.getByText('Page 1 of 3', { exact: true }).waitFor();

    // pdf.js, its worker, its font and the PDF came from our server; nothing from elsewhere.
    const bobUrls = bob.requests.map((r) => r.url);
    assert.ok(bobUrls.some((url) => /\/api\/meetings\/[^/]+\/presentations\/[^/]+$/.test(url)));
    assert.ok(bobUrls.some((url) => /pdf\.worker[^/]*\.mjs$/.test(url)));
    // Helvetica, not embedded in the PDF, is drawn with pdf.js's standard font from our assets.
    assert.ok(bobUrls.some((url) => /\/assets\/LiberationSans-Regular[^/]*\.ttf$/.test(url)));
    assert.deepEqual(foreignRequests(people, server.origin), []);
    // pdf.js ran under the strict CSP without complaint (worker, fonts, canvas). (Bob, not
    // signed in, is answered 401 when the page asks for an account session: not ours.)
    const complaints = people
      .flatMap((person) => person.errors)
      .filter((error) => !error.includes('status of 401'));
    assert.deepEqual(complaints, []);
  });
});
