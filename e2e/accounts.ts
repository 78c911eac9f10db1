import { randomBytes } from 'node:crypto';
import type {
  OneTimeLinkReply,
  PlatformRole,
  SessionReply,
  TotpConfirmReply,
  TotpStartReply,
} from '@konvent/protocol';
import { generate } from 'otplib';
import { ApiSession } from './ApiSession.ts';
import type { ServerProcess } from './ServerProcess.ts';

/**
 * Accounts for end-to-end tests, made through the real flows an operator and the people
 * follow: the one-time setup link the server prints at its first start, the first admin's
 * TOTP enrolment, an invitation and its redemption. Nothing is written behind the server's
 * back.
 */

/** The setup link's token in the server's output ("…/setup#k=<token>"). */
export const SETUP_LINK = /\/setup#k=([A-Za-z0-9_-]{43})/;

/** A signed-in test account. */
export interface TestAccount {
  username: string;
  displayName: string;
  password: string;
  session: ApiSession;
}

/** The first administrator, who also knows their TOTP secret and recovery codes. */
export interface TestAdmin extends TestAccount {
  totpSecret: string;
  recoveryCodes: string[];
}

/** The accounts every test server gets on first use. */
export interface Accounts {
  admin: TestAdmin;
  organiser: TestAccount;
}

/** A password the policy accepts (long, not a dictionary word) and nobody could guess. */
export function strongPassword(): string {
  return `Lantern-${randomBytes(6).toString('hex')}-harbour`;
}

/** The token of the one-time setup link the server printed at its first start. */
export async function setupToken(server: ServerProcess): Promise<string> {
  const match = await server.waitForOutput(SETUP_LINK);
  const token = match[1];
  if (token === undefined) throw new Error('setup link without a token');
  return token;
}

/** The current TOTP code of a secret. */
export function totpCode(secret: string): Promise<string> {
  return generate({ secret });
}

/**
 * Creates the first administrator with the setup link and enrols TOTP (admins must have a
 * second factor), leaving a full session.
 */
export async function createFirstAdmin(server: ServerProcess): Promise<TestAdmin> {
  const session = new ApiSession(server.origin);
  const admin = {
    username: 'admin@konvent.test',
    displayName: 'Ada Admin',
    password: strongPassword(),
  };
  const setup = await session.post<SessionReply>('/api/auth/setup', {
    token: await setupToken(server),
    ...admin,
  });
  if (setup.stage !== 'enrol') throw new Error(`first admin at stage ${setup.stage}, not enrol`);
  const { secret } = await session.post<TotpStartReply>('/api/account/totp/start');
  const confirmed = await session.post<TotpConfirmReply>('/api/account/totp/confirm', {
    code: await totpCode(secret),
  });
  if (confirmed.session.stage !== 'full') throw new Error('TOTP enrolment left the admin half in');
  return { ...admin, session, totpSecret: secret, recoveryCodes: confirmed.recoveryCodes };
}

/** Invites a user as `admin` and redeems the invitation with a new password. */
export async function inviteUser(
  admin: ApiSession,
  user: { username: string; displayName: string; roles: PlatformRole[] },
): Promise<TestAccount> {
  const { link } = await admin.post<OneTimeLinkReply>('/api/admin/users', user);
  const token = new URL(link).hash.replace(/^#k=/, '');
  const session = new ApiSession(admin.origin);
  const password = strongPassword();
  const reply = await session.post<SessionReply>('/api/auth/link/redeem', { token, password });
  if (reply.stage !== 'full') throw new Error(`invited user at stage ${reply.stage}, not full`);
  return { username: user.username, displayName: user.displayName, password, session };
}

const provisioned = new WeakMap<ServerProcess, Promise<Accounts>>();

/**
 * The first admin and a signed-in organiser of `server`, made on first use and shared by
 * the tests of a file (the setup link works once per server).
 */
export function accountsOf(server: ServerProcess): Promise<Accounts> {
  let accounts = provisioned.get(server);
  if (accounts === undefined) {
    accounts = (async () => {
      const admin = await createFirstAdmin(server);
      const organiser = await inviteUser(admin.session, {
        username: 'organiser@konvent.test',
        displayName: 'Olga Organiser',
        roles: ['organiser'],
      });
      return { admin, organiser };
    })();
    // A failed attempt must not stick: the next caller then sees the real error again.
    accounts.catch(() => provisioned.delete(server));
    provisioned.set(server, accounts);
  }
  return accounts;
}
