import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makePdf } from '../server/test/helpers/pdfFixture.ts';
import type { Participant } from './harness.ts';
import { createMeetingViaUi, joinMeeting } from './harness.ts';
import { serverAndBrowserPerFile } from './fileFixture.ts';
import { openActions, participantEntry } from './ui.ts';

const { env, withPeople } = serverAndBrowserPerFile();

/** The annotation layer of someone's stage once it shows `strokes` strokes on `page`. */
async function strokesShown(person: Participant, page: number, strokes: number): Promise<void> {
  await person.page
    .locator(
      `section[data-page="${String(page)}"] svg.annotations[data-strokes="${String(strokes)}"]`,
    )
    .waitFor();
}

/** Draws a stroke across the page with the mouse (pen in hand), from 20 % to 60 % of it. */
async function drawStroke(person: Participant): Promise<void> {
  const layer = person.page.locator('svg.annotations--drawing');
  const box = await layer.boundingBox();
  assert.ok(box !== null, 'the drawing layer lies over the page');
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  await person.page.mouse.move(...at(0.2, 0.2));
  await person.page.mouse.down();
  for (let i = 1; i <= 10; i++) await person.page.mouse.move(...at(0.2 + i * 0.04, 0.2 + i * 0.02));
  await person.page.mouse.up();
}

test('the presenter annotates page 1 and the viewer sees it; page 2 has no strokes, back on page 1 the stroke is there; a participant without the right gets no tools until a moderator allows drawing', async () => {
  await withPeople(async (people) => {
    const { server, browser } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(
      browser,
      server,
      'Annotations',
      'Alice',
    );
    people.push(alice);
    const bob = await joinMeeting(browser, meeting.participantLink, 'Bob');
    people.push(bob);
    await (await participantEntry(alice, 'Bob')).waitFor();

    await alice.page.locator('input[data-presentation-input]').setInputFiles({
      name: 'Slides.pdf',
      mimeType: 'application/pdf',
      buffer: makePdf({ pages: 3, marker: 'Konvent e2e' }),
    });
    const aliceStage = alice.page.getByRole('region', { name: 'Presentation Slides.pdf' });
    await strokesShown(alice, 1, 0);
    await strokesShown(bob, 1, 0);
    // Bob sees the (empty) layer but has no tools.
    assert.equal(await bob.page.getByRole('toolbar', { name: 'Annotate the page' }).count(), 0);

    const tools = alice.page.getByRole('toolbar', { name: 'Annotate the page' });
    await tools.getByRole('button', { name: 'Pen', exact: true }).click();
    await drawStroke(alice);
    await strokesShown(alice, 1, 1);
    await strokesShown(bob, 1, 1);

    await aliceStage.getByRole('button', { name: 'Next', exact: true }).click();
    await strokesShown(bob, 2, 0);
    await aliceStage.getByRole('button', { name: 'Previous', exact: true }).click();
    await strokesShown(bob, 1, 1);
    const strokeColour = await bob.page
      .locator('svg.annotations path')
      .first()
      .getAttribute('stroke');
    assert.equal(strokeColour, '#d32f2f');

    // Once a moderator allows Bob to draw, the tools appear and his stroke reaches Alice.
    const actions = await openActions(alice, 'Bob');
    await actions.getByRole('menuitem', { name: 'Allow drawing' }).click();
    const bobTools = bob.page.getByRole('toolbar', { name: 'Annotate the page' });
    await bobTools.getByRole('button', { name: 'Highlighter', exact: true }).click();
    await drawStroke(bob);
    await strokesShown(alice, 1, 2);
    // Bob may take back his own stroke; clearing the page is not offered to him.
    assert.equal(await bobTools.getByRole('button', { name: 'Clear this page' }).count(), 0);
    await bobTools.getByRole('button', { name: 'Undo my last stroke' }).click();
    await strokesShown(alice, 1, 1);
    await tools.getByRole('button', { name: 'Clear this page' }).click();
    const dialog = alice.page.getByRole('dialog', { name: 'Clear this page for everyone?' });
    await dialog.getByRole('button', { name: 'Clear this page' }).click();
    await strokesShown(bob, 1, 0);
  });
});
