import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import type { Participant } from './harness.ts';
import { createMeetingViaUi, foreignRequests, joinMeeting, waitUntil } from './harness.ts';
import { serverAndBrowserPerFile } from './fileFixture.ts';
import { button, heading, openActions, participantEntry } from './ui.ts';

const { env, withPeople } = serverAndBrowserPerFile();

/** Opens the minutes panel if it is closed and returns the notes field. */
async function openMinutes(person: Participant): Promise<Locator> {
  const notes = person.page.getByRole('textbox', { name: 'Meeting notes', exact: true });
  if (!(await notes.isVisible())) await button(person, 'Minutes').click();
  await notes.waitFor();
  return notes;
}

/** Waits until `person`'s notes field holds `text` (somewhere in it). */
async function expectNotes(person: Participant, text: string): Promise<string> {
  const notes = await openMinutes(person);
  return waitUntil(
    `${person.name}’s notes show “${text}”`,
    async () => {
      const value = await notes.inputValue();
      return value.includes(text) ? value : undefined;
    },
    { timeoutMs: 10_000 },
  );
}

/** The decisions and action items list of `person`'s minutes panel. */
function itemList(person: Participant): Locator {
  return person.page.getByRole('list', { name: 'Decisions and action items', exact: true });
}

/** Clicks an export link and returns the downloaded file's name and text. */
async function download(
  person: Participant,
  scope: Locator,
  name: 'Markdown' | 'PDF',
): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    person.page.waitForEvent('download'),
    scope.getByRole('link', { name, exact: true }).click(),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('the moderator writes the notes live, a participant reads them and cannot edit until appointed minute-taker, then writes too; an action item with owner and due date reaches both; Markdown and PDF export; the organiser exports after the end and finds them under My minutes', async () => {
  await withPeople(async (people) => {
    const { server, browser } = env();
    const { moderator: alice, meeting } = await createMeetingViaUi(
      browser,
      server,
      'Minutes review',
      'Alice',
    );
    people.push(alice);
    const bob = await joinMeeting(browser, meeting.participantLink, 'Bob');
    people.push(bob);
    await (await participantEntry(alice, 'Bob')).waitFor();

    // Alice (moderator) types; Bob sees the notes as she writes.
    const aliceNotes = await openMinutes(alice);
    assert.equal(await aliceNotes.getAttribute('readonly'), null);
    await aliceNotes.click();
    await alice.page.keyboard.type('Budget approved for Q1.');
    await expectNotes(bob, 'Budget approved for Q1.');

    // Bob reads only: the field is read-only, typing changes nothing, no item form.
    const bobNotes = await openMinutes(bob);
    assert.notEqual(await bobNotes.getAttribute('readonly'), null);
    await bob.page
      .getByText('Read only: moderators and minute-takers write the minutes.')
      .waitFor();
    await bobNotes.click();
    await bob.page.keyboard.type('sneaky');
    assert.equal(await bobNotes.inputValue(), 'Budget approved for Q1.');
    assert.equal(await bob.page.getByRole('button', { name: 'Add', exact: true }).count(), 0);

    // Alice appoints Bob; he gets the badge and may write.
    const menu = await openActions(alice, 'Bob');
    await menu.getByRole('menuitem', { name: 'Appoint minute-taker', exact: true }).click();
    await (
      await participantEntry(alice, 'Bob')
    )
      .getByText('Minute-taker', { exact: true })
      .waitFor();
    await openMinutes(bob);
    await bob.page.locator('.minutes-badge').filter({ hasText: 'Minute-taker' }).waitFor();
    await waitUntil(
      'Bob’s notes become editable',
      async () => ((await bobNotes.getAttribute('readonly')) === null ? true : undefined),
      { timeoutMs: 10_000 },
    );
    await bobNotes.click();
    await bob.page.keyboard.press('End');
    await bob.page.keyboard.type(' Bob takes the minutes.');
    await expectNotes(alice, 'Budget approved for Q1. Bob takes the minutes.');

    // An empty item is refused in the form, with the reason under the field.
    const form = bob.page.getByRole('form', { name: 'Record a decision or an action item' });
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    await form.getByText('Enter the text.', { exact: true }).waitFor();

    // Bob records an action item with owner and due date; both see it.
    await form
      .getByRole('textbox', { name: 'What is to be done', exact: true })
      .fill('Send the report');
    await form.getByRole('textbox', { name: 'Owner (optional)', exact: true }).fill('Carol');
    await form.getByLabel('Due date (optional)', { exact: true }).fill('2026-12-24');
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    for (const person of [alice, bob]) {
      await openMinutes(person);
      const item = itemList(person).getByRole('listitem').filter({ hasText: 'Send the report' });
      await item.getByText('Owner: Carol', { exact: true }).waitFor();
      await item.getByText('Due Dec 24, 2026', { exact: true }).waitFor();
    }

    // Alice ticks it done; Bob sees that.
    await itemList(alice)
      .getByRole('listitem')
      .filter({ hasText: 'Send the report' })
      .getByRole('checkbox', { name: 'Done', exact: true })
      .check();
    await itemList(bob)
      .getByRole('listitem')
      .filter({ hasText: 'Send the report' })
      .locator('.pill')
      .filter({ hasText: 'Done' })
      .waitFor();

    // Export during the meeting (the meeting cookie): Markdown with the text, and a PDF.
    const panel = bob.page.locator('#panel-minutes');
    const markdown = await download(bob, panel, 'Markdown');
    assert.match(markdown.name, /\.md$/);
    assert.match(markdown.text, /Budget approved for Q1\. Bob takes the minutes\./);
    assert.match(markdown.text, /Send the report/);
    assert.match(markdown.text, /Carol/);
    const pdf = await download(alice, alice.page.locator('#panel-minutes'), 'PDF');
    assert.match(pdf.name, /\.pdf$/);
    assert.ok(pdf.text.startsWith('%PDF-'), 'the PDF export is a PDF');

    // Alice ends the meeting; as a signed-in organiser she exports from the end page.
    await button(alice, 'End meeting for all').click();
    await alice.page
      .getByRole('dialog')
      .getByRole('button', { name: 'End meeting', exact: true })
      .click();
    await Promise.all(people.map((person) => heading(person, 'The meeting has ended').waitFor()));
    const endLinks = alice.page.getByRole('group', { name: 'Minutes of this meeting' });
    const afterwards = await download(alice, endLinks, 'Markdown');
    assert.match(afterwards.text, /Send the report/);
    // Bob has no account: no links that could not work.
    assert.equal(await bob.page.getByRole('group', { name: 'Minutes of this meeting' }).count(), 0);

    // "My minutes" in the account menu lists the meeting and shows it.
    await alice.page.getByRole('link', { name: 'My minutes', exact: true }).click();
    await heading(alice, 'My minutes').waitFor();
    await alice.page
      .getByRole('link', { name: 'Show the minutes of Minutes review', exact: true })
      .click();
    await heading(alice, 'Minutes review').waitFor();
    await alice.page.getByText('Budget approved for Q1. Bob takes the minutes.').waitFor();
    await itemList(alice).getByText('Send the report').waitFor();

    assert.deepEqual(foreignRequests(people, server.origin), []);
  });
});

test('a personal invitation that appoints a minute-taker: the list says so, and whoever joins with it writes the minutes at once', async () => {
  await withPeople(async (people) => {
    const { server, browser } = env();
    const { moderator: alice } = await createMeetingViaUi(
      browser,
      server,
      'Minute-taker invitation',
      'Alice',
    );
    people.push(alice);

    await button(alice, 'Waiting room').click();
    await button(alice, 'Personal invitations').click();
    const dialog = alice.page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'New invitation', exact: true }).click();
    await dialog.getByRole('textbox', { name: 'For whom?', exact: true }).fill('Dana');
    await dialog.getByRole('checkbox', { name: 'Appoint as minute-taker', exact: true }).check();
    await dialog.getByRole('button', { name: 'Create invitation', exact: true }).click();
    const link = await dialog
      .getByRole('textbox', { name: 'Invitation link', exact: true })
      .inputValue({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Done', exact: true }).click();
    const entry = dialog
      .getByRole('list', { name: 'Invitations, newest first' })
      .getByRole('listitem')
      .filter({ hasText: 'Dana' })
      .first();
    await entry.getByText('Minute-taker', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    const dana = await joinMeeting(browser, link, 'Dana');
    people.push(dana);
    const notes = await openMinutes(dana);
    await dana.page.locator('.minutes-badge').filter({ hasText: 'Minute-taker' }).waitFor();
    await waitUntil(
      'Dana’s notes are editable',
      async () => ((await notes.getAttribute('readonly')) === null ? true : undefined),
      { timeoutMs: 10_000 },
    );
    await notes.click();
    await dana.page.keyboard.type('Dana writes.');
    await expectNotes(alice, 'Dana writes.');

    // Alice's caret stays where she is writing while Dana writes before it.
    const aliceNotes = await openMinutes(alice);
    await aliceNotes.click();
    await alice.page.keyboard.press('Control+End');
    await notes.click();
    await dana.page.keyboard.press('Control+Home');
    await dana.page.keyboard.type('Hi ');
    await expectNotes(alice, 'Hi Dana writes.');
    assert.equal(
      await aliceNotes.evaluate((area: HTMLTextAreaElement) => area.selectionStart),
      'Hi Dana writes.'.length,
    );
    await alice.page.keyboard.type(' Alice too.');
    await expectNotes(dana, 'Hi Dana writes. Alice too.');
    await (
      await participantEntry(alice, 'Dana')
    )
      .getByText('Minute-taker', { exact: true })
      .waitFor();

    assert.deepEqual(foreignRequests(people, server.origin), []);
  });
});
