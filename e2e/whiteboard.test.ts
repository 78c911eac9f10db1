import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Participant } from './harness.ts';
import { createMeetingViaUi, foreignRequests, joinMeeting, waitUntil } from './harness.ts';
import { serverAndBrowserPerFile } from './fileFixture.ts';
import { button, participantEntry } from './ui.ts';

const { env, withPeople } = serverAndBrowserPerFile();

/** The test hook an open board exposes (see web/src/ui/whiteboard/ExcalidrawBoard.tsx). */
interface BoardProbe {
  shapes: () => { id: string; type: string }[];
  send: (elements: object[]) => void;
}

/** The shapes on `person`'s open board, as Excalidraw's scene holds them. */
function shapes(person: Participant): Promise<{ id: string; type: string }[]> {
  return person.page.evaluate(
    () => (window as unknown as { __kvBoard?: BoardProbe }).__kvBoard?.shapes() ?? [],
  );
}

/** Opens the whiteboard and waits until Excalidraw has started on it. */
async function openBoard(person: Participant): Promise<void> {
  await button(person, 'Whiteboard').click();
  await person.page.locator('.whiteboard .excalidraw').waitFor();
  await person.page.waitForFunction(() => '__kvBoard' in window);
}

test('a participant without the right cannot draw (the server refuses, the page says why), can once a moderator allows it (the moderator sees the drawing) and cannot once it is stopped; nothing comes from another origin', async () => {
  await withPeople(async (people) => {
    const { server, browser } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(
      browser,
      server,
      'Whiteboard',
      'Alice',
    );
    people.push(alice);
    const bob = await joinMeeting(browser, meeting.participantLink, 'Bob');
    people.push(bob);
    await (await participantEntry(alice, 'Bob')).waitFor();

    // Bob may look, not draw: view mode (no shape tools) and the note why.
    await openBoard(bob);
    await bob.page
      .getByRole('status')
      .filter({ hasText: 'A moderator can allow you to draw.' })
      .waitFor();
    assert.equal(await bob.page.locator('[data-testid="toolbar-rectangle"]').count(), 0);

    // A change sent anyway is refused by the server, and the page says so.
    await bob.page.evaluate(() => {
      (window as unknown as { __kvBoard?: BoardProbe }).__kvBoard?.send([
        { id: 'sneaky', type: 'rectangle', version: 1, versionNonce: 1, isDeleted: false },
      ]);
    });
    await bob.page
      .getByRole('alert')
      .filter({ hasText: 'Your drawing was not accepted: Your role does not allow this.' })
      .waitFor();

    // Alice opens the board and allows Bob to draw.
    await openBoard(alice);
    assert.deepEqual(await shapes(alice), []);
    const entry = await participantEntry(alice, 'Bob');
    await entry.getByRole('button', { name: 'Actions for Bob', exact: true }).click();
    await alice.page
      .getByRole('menu', { name: 'Actions for Bob', exact: true })
      .getByRole('menuitem', { name: 'Allow drawing', exact: true })
      .click();

    // Bob's board leaves view mode; he draws a rectangle with the keyboard and the mouse.
    const rectangleTool = bob.page.locator('[data-testid="toolbar-rectangle"]');
    await rectangleTool.waitFor();
    await bob.page
      .getByRole('status')
      .filter({ hasText: 'A moderator can allow you to draw.' })
      .waitFor({ state: 'detached' });
    const canvas = bob.page.locator('.whiteboard__canvas');
    const box = await canvas.boundingBox();
    assert.ok(box !== null);
    await bob.page.mouse.click(box.x + box.width / 2, box.y + box.height - 30);
    await bob.page.keyboard.press('r');
    const [x, y] = [box.x + box.width / 3, box.y + box.height / 3];
    await bob.page.mouse.move(x, y);
    await bob.page.mouse.down();
    await bob.page.mouse.move(x + 120, y + 80, { steps: 8 });
    await bob.page.mouse.up();

    const seen = await waitUntil(
      'Alice’s board shows Bob’s rectangle',
      async () => {
        const onBoard = await shapes(alice);
        return onBoard.some((s) => s.type === 'rectangle') ? onBoard : undefined;
      },
      { timeoutMs: 10_000 },
    );
    assert.deepEqual(
      seen.map((s) => s.type),
      ['rectangle'],
    );
    assert.equal(await alice.page.locator('.whiteboard__canvas').getAttribute('data-shapes'), '1');
    // The refused element never reached anyone.
    assert.equal(
      seen.some((s) => s.id === 'sneaky'),
      false,
    );

    // Stopping it puts Bob's board back into view mode, with the note.
    await (
      await participantEntry(alice, 'Bob')
    )
      .getByRole('button', { name: 'Actions for Bob', exact: true })
      .click();
    await alice.page
      .getByRole('menu', { name: 'Actions for Bob', exact: true })
      .getByRole('menuitem', { name: 'Stop drawing', exact: true })
      .click();
    await rectangleTool.waitFor({ state: 'detached' });
    await bob.page
      .getByRole('status')
      .filter({ hasText: 'A moderator can allow you to draw.' })
      .waitFor();
    assert.deepEqual(
      (await shapes(bob)).map((s) => s.type),
      ['rectangle'],
    );

    assert.deepEqual(foreignRequests(people, server.origin), []);
  });
});
