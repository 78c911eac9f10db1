import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { setupToken, strongPassword, totpCode } from './accounts.ts';
import {
  closeAll,
  completePreJoin,
  diagnostics,
  englishLink,
  launchBrowser,
  openParticipant,
  startServer,
  waitUntil,
  type Participant,
  type ServerProcess,
} from './harness.ts';
import { readSocketCloses, recordSocketCloses } from './inPage.ts';

// Passkeys need a domain as WebAuthn relying party: this file's server is reached at
// http://localhost:<port> (a secure context, like every loopback origin).
let server: ServerProcess | undefined;
let browser: Browser | undefined;
/** Everyone opened in this file; the scenarios build on each other, in order. */
const people: Participant[] = [];

const ADMIN = { name: 'Ada Admin', username: 'ada@konvent.test', password: strongPassword() };
const INVITEE = {
  name: 'Olga Organiser',
  username: 'olga@konvent.test',
  password: strongPassword(),
};

before(async () => {
  const [started, launched] = await Promise.allSettled([
    startServer({ publicHost: 'localhost' }),
    launchBrowser(),
  ]);
  if (started.status === 'fulfilled') server = started.value;
  if (launched.status === 'fulfilled') browser = launched.value;
  if (started.status === 'rejected') throw started.reason;
  if (launched.status === 'rejected') throw launched.reason;
});

after(async () => {
  await closeAll(people);
  await browser?.close();
  await server?.stop();
});

function env(): { server: ServerProcess; browser: Browser } {
  assert.ok(server !== undefined && browser !== undefined, 'server and browser are started');
  return { server, browser };
}

/** Adds page errors and the server's output to a failure. */
async function explained(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n${diagnostics(server, people)}`, { cause: error });
  }
}

/** The person opened under `name` by an earlier scenario. */
function person(name: string): Participant {
  const found = people.find((candidate) => candidate.name === name);
  assert.ok(found, `${name} was opened by an earlier test`);
  return found;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS === undefined) return;
  await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, name), fullPage: true });
}

/** The session as the page's own cookie sees it (the cookie is HttpOnly). */
async function sessionOf(page: Page): Promise<{ status: number; stage?: string }> {
  return page.evaluate(async () => {
    const reply = await fetch('/api/auth/session', { cache: 'no-store' });
    if (!reply.ok) return { status: reply.status };
    const body = (await reply.json()) as { stage: string };
    return { status: reply.status, stage: body.stage };
  });
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('textbox', { name: 'User name', exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('the first admin sets up with the printed link and enrols TOTP; an invited organiser sets a password, signs in and creates a meeting', async () => {
  await explained(async () => {
    const { server: srv, browser: b } = env();
    const token = await setupToken(srv);
    const admin = await openParticipant(b, 'Admin');
    people.push(admin);
    const { page } = admin;
    await page.goto(`${srv.origin}/setup?lang=en#k=${token}`);
    await page.getByRole('heading', { name: 'Set up Konvent', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token must leave the address bar');

    await page.getByRole('textbox', { name: 'Your name', exact: true }).fill(ADMIN.name);
    await page.getByRole('textbox', { name: 'User name', exact: true }).fill(ADMIN.username);
    await page.getByLabel('New password', { exact: true }).fill('password');
    await page.getByText('Use at least 12 characters.').waitFor();
    await page.getByLabel('New password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Repeat password', { exact: true }).fill(ADMIN.password);
    await page.getByText('This password meets the password policy.').waitFor();
    await page.getByRole('button', { name: 'Create administrator', exact: true }).click();

    // Admins must set up a second factor before anything else.
    await page.getByRole('heading', { name: 'Set up a second factor', level: 1 }).waitFor();
    assert.equal((await sessionOf(page)).stage, 'enrol');
    await page.getByRole('button', { name: 'Set up authenticator app', exact: true }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (
      await page.getByRole('textbox', { name: 'Setup key', exact: true }).inputValue()
    ).replace(/\s/g, '');
    await screenshot(page, 'identity-totp-en.png');
    await page
      .getByRole('textbox', { name: 'Code from the app', exact: true })
      .fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();

    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    assert.equal(await codes.count(), 10, 'ten recovery codes are shown');
    const proceed = page.getByRole('button', { name: 'Continue', exact: true });
    assert.equal(await proceed.isDisabled(), true, 'continuing needs the confirmation');
    await page.getByRole('checkbox', { name: 'I have saved them' }).check();
    await proceed.click();

    // Set-up leads on to the user administration.
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    assert.equal((await sessionOf(page)).stage, 'full');
    await page.getByRole('button', { name: 'Invite user', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(INVITEE.name);
    await dialog.getByRole('textbox', { name: 'User name', exact: true }).fill(INVITEE.username);
    const organiserBox = dialog.getByRole('checkbox', { name: /^Organiser/ });
    await organiserBox.check();
    assert.equal(await dialog.getByRole('checkbox', { name: /^Administrator/ }).isChecked(), false);
    await dialog.getByRole('button', { name: 'Create invitation', exact: true }).click();
    const linkBox = page.getByRole('textbox', { name: 'Invitation link', exact: true });
    const link = await linkBox.inputValue({ timeout: 15_000 });
    assert.match(link, /^http:\/\/localhost:\d+\/welcome#k=[A-Za-z0-9_-]{43}$/);
    await screenshot(page, 'identity-invite-en.png');
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: INVITEE.username });
    await row.getByText('Invited', { exact: true }).waitFor();

    // The invitee, in a browser of their own.
    const olga = await openParticipant(b, INVITEE.name);
    people.push(olga);
    await olga.context.addInitScript(recordSocketCloses);
    await olga.page.goto(englishLink(link));
    await olga.page.getByRole('heading', { name: 'Welcome to Konvent', level: 1 }).waitFor();
    await olga.page.getByText(`You have been invited as ${INVITEE.username}.`).waitFor();
    await olga.page.getByLabel('New password', { exact: true }).fill(INVITEE.password);
    await olga.page.getByLabel('Repeat password', { exact: true }).fill(INVITEE.password);
    await olga.page.getByRole('button', { name: 'Activate account', exact: true }).click();
    await olga.page.getByRole('textbox', { name: 'Meeting title', exact: true }).waitFor();

    // Signing out and in again with the new password.
    await olga.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await olga.page.getByText('You have signed out.').waitFor();
    await signIn(olga.page, INVITEE.username, INVITEE.password);
    await olga.page.getByRole('textbox', { name: 'Meeting title', exact: true }).fill('Kick-off');
    await olga.page.getByRole('button', { name: 'Create meeting', exact: true }).click();
    const moderatorLink = await olga.page
      .getByRole('textbox', { name: 'Moderator link', exact: true })
      .inputValue({ timeout: 15_000 });
    assert.match(moderatorLink, /\/m\/[A-Za-z0-9_-]{22}#k=[A-Za-z0-9_-]{43}$/);

    await page.reload();
    await row.getByText('Active', { exact: true }).waitFor();
  });
});

test('a passkey added on the account page (virtual authenticator) is offered and passes the second factor at the next sign-in', async () => {
  await explained(async () => {
    const olga = person(INVITEE.name);
    const { page } = olga;
    const cdp = await olga.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Add passkey', exact: true }).click();
    await page.getByRole('textbox', { name: 'Name of the passkey' }).fill('Work laptop');
    await page.getByRole('button', { name: 'Add passkey', exact: true }).click();

    // The first factor comes with recovery codes, shown once.
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    await page.getByRole('checkbox', { name: 'I have saved them' }).check();
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByRole('list', { name: 'Passkeys' }).getByText('Work laptop').waitFor();
    await page.getByRole('button', { name: 'Remove passkey Work laptop' }).waitFor();
    await screenshot(page, 'identity-account-en.png');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signIn(page, INVITEE.username, INVITEE.password);
    await page.getByRole('heading', { name: 'Confirm it’s you', level: 1 }).waitFor();
    assert.equal((await sessionOf(page)).stage, 'mfa');
    assert.equal(
      await page.getByRole('textbox', { name: 'Code from your authenticator app' }).count(),
      0,
      'no authenticator app is set up, so no code is asked for',
    );
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
    await page.getByRole('textbox', { name: 'Meeting title', exact: true }).waitFor();
    assert.equal((await sessionOf(page)).stage, 'full');
  });
});

test("disabling a user ends their sessions at once: their open page shows the sign-in at its next request, and their meeting's socket closes with 4403", async () => {
  await explained(async () => {
    const { server: srv } = env();
    const olga = person(INVITEE.name);
    const admin = person('Admin');

    // Olga holds a meeting in one tab, and has the start page open in another.
    await olga.page.getByRole('textbox', { name: 'Meeting title', exact: true }).fill('Budget');
    await olga.page.getByRole('button', { name: 'Create meeting', exact: true }).click();
    await olga.page.getByRole('button', { name: 'Join as moderator', exact: true }).click();
    await completePreJoin({ ...olga, name: 'Olga' });
    const startTab = await olga.context.newPage();
    await startTab.goto(`${srv.origin}/?lang=en`);
    await startTab.getByRole('textbox', { name: 'Meeting title', exact: true }).fill('Later');

    await admin.page.goto(`${srv.origin}/admin/users?lang=en`);
    await admin.page.getByRole('button', { name: `Disable ${INVITEE.name}`, exact: true }).click();
    const confirm = admin.page.getByRole('dialog', { name: `Disable ${INVITEE.name}?` });
    await confirm.getByText('All their sessions end at once').waitFor();
    await screenshot(admin.page, 'identity-disable-en.png');
    await confirm.getByRole('button', { name: 'Disable account', exact: true }).click();
    await admin.page.getByText(`${INVITEE.name} has been disabled`).waitFor();
    const row = admin.page.getByRole('row').filter({ hasText: INVITEE.username });
    await row.getByText('Disabled', { exact: true }).waitFor();

    // The meeting socket was opened under Olga's account session: the server closes it.
    await olga.page.getByRole('heading', { name: 'You have been signed out' }).waitFor();
    const closes = await waitUntil('the meeting socket reports its close code', async () => {
      const codes = await olga.page.evaluate(readSocketCloses);
      return codes.includes(4403) ? codes : undefined;
    });
    assert.ok(closes.includes(4403), `close codes ${closes.join(', ')}`);

    // The other tab learns it at its next request.
    await startTab.getByRole('button', { name: 'Create meeting', exact: true }).click();
    await startTab.getByRole('heading', { name: 'Sign in to create a meeting' }).waitFor();
    await startTab.getByText('Your session has ended. Please sign in again.').waitFor();
    await startTab.close();

    // And the account cannot sign in any more.
    await olga.page.goto(`${srv.origin}/login?lang=en`);
    await signIn(olga.page, INVITEE.username, INVITEE.password);
    await olga.page
      .getByRole('alert')
      .filter({ hasText: 'The user name, password or code is wrong.' })
      .waitFor();
  });
});

test('a wrong password is refused with the catalogue message, in English and in German', async () => {
  await explained(async () => {
    const { server: srv, browser: b } = env();
    const guest = await openParticipant(b, 'Guest');
    people.push(guest);
    const { page } = guest;
    await page.goto(`${srv.origin}/login?lang=en`);
    await signIn(page, ADMIN.username, 'not the password at all');
    await page
      .getByRole('alert')
      .filter({ hasText: 'The user name, password or code is wrong.' })
      .waitFor();

    await page.goto(`${srv.origin}/?lang=de`);
    await page
      .getByRole('heading', { name: 'Anmelden, um eine Besprechung zu erstellen' })
      .waitFor();
    await page.getByRole('link', { name: 'Anmelden', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Benutzername', exact: true }).fill(ADMIN.username);
    await page.getByLabel('Passwort', { exact: true }).fill('auch nicht das Passwort');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Benutzername, Passwort oder Code ist falsch.' })
      .waitFor();
    await screenshot(page, 'identity-login-de.png');
    assert.equal((await sessionOf(page)).status, 401, 'no session after a failed sign-in');
  });
});
