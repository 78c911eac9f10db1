import type { Locator } from 'playwright-core';
import type { Participant } from './harness.ts';

/**
 * Meeting-page actions as a person (or a screen reader) finds them: by role and accessible
 * name, in English. Panels may share a sidebar, so every helper opens what it needs.
 */

/** The tile of `name` in the video grid of `person`'s page. */
export function tile(person: Participant, name: string): Locator {
  return person.page
    .getByRole('region', { name: 'Video grid', exact: true })
    .getByRole('figure', { name, exact: true });
}

/** Opens the chat panel if it is closed and returns its message log. */
export async function openChat(person: Participant): Promise<Locator> {
  const log = person.page.getByRole('log', { name: 'Chat messages', exact: true });
  if (!(await log.isVisible()))
    await person.page.getByRole('button', { name: 'Chat', exact: true }).click();
  await log.waitFor();
  return log;
}

/** Sends a chat message, to everyone or privately to the participant called `to`. */
export async function sendChat(person: Participant, text: string, to?: string): Promise<void> {
  await openChat(person);
  const { page } = person;
  if (to !== undefined) {
    await page
      .getByRole('combobox', { name: 'Recipient', exact: true })
      .selectOption({ label: to });
  }
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Waits until `text` appears in `person`'s chat log. */
export async function expectChatMessage(person: Participant, text: string): Promise<void> {
  const log = await openChat(person);
  await log.getByText(text, { exact: false }).waitFor();
}

/** Whether `text` is in `person`'s chat log right now. */
export async function chatContains(person: Participant, text: string): Promise<boolean> {
  const log = await openChat(person);
  return (await log.getByText(text, { exact: false }).count()) > 0;
}

/** Opens the participants panel if it is closed and returns the list. */
export async function openParticipants(person: Participant): Promise<Locator> {
  const list = person.page.getByRole('list', { name: 'Participants', exact: true });
  if (!(await list.isVisible())) {
    await person.page.getByRole('button', { name: 'Participants', exact: true }).click();
  }
  await list.waitFor();
  return list;
}

/** The entry of `name` in `person`'s participants list. */
export async function participantEntry(person: Participant, name: string): Promise<Locator> {
  const list = await openParticipants(person);
  return list.getByRole('listitem').filter({ hasText: name });
}

/** Opens the actions menu of `name` in `moderator`'s participant list and returns the menu. */
export async function openActions(moderator: Participant, name: string): Promise<Locator> {
  const entry = await participantEntry(moderator, name);
  await entry.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  const menu = moderator.page.getByRole('menu', { name: `Actions for ${name}`, exact: true });
  await menu.waitFor();
  return menu;
}

/** A toolbar button of the meeting page. */
export function button(person: Participant, name: string): Locator {
  return person.page.getByRole('button', { name, exact: true });
}

/** A page heading, e.g. "You have left the meeting". */
export function heading(person: Participant, name: string): Locator {
  return person.page.getByRole('heading', { name, exact: true });
}

/**
 * How `name`'s tile on `person`'s page shows their camera: 'off' when the tile carries the
 * "Camera off" state image and its video is not visible, 'on' when neither, 'mixed' while
 * the two disagree (mid-update).
 */
export async function cameraShown(
  person: Participant,
  name: string,
): Promise<'on' | 'off' | 'mixed'> {
  const figure = tile(person, name);
  const offIcon = (await figure.getByRole('img', { name: 'Camera off', exact: true }).count()) > 0;
  const videoVisible = await figure.locator('video').isVisible();
  if (offIcon && !videoVisible) return 'off';
  if (!offIcon && videoVisible) return 'on';
  return 'mixed';
}
