import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { accountsOf } from './accounts.ts';
import { ServerProcess, type ServerStartOptions } from './ServerProcess.ts';
import {
  readJoinTiming,
  recordJoinTiming,
  recordPeerConnections,
  snapshotMedia,
  type FirstFrame,
  type MediaSnapshot,
} from './inPage.ts';

export { ServerProcess };
export type { FirstFrame, MediaSnapshot };

/** The Chromium the project tests with (Debian's package). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for real WebRTC with fake devices, and no traffic of the browser's own (which would pollute the P2 check). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Browser arguments for tests that capture a tab (screen sharing): the fake capture UI
 * would hand getDisplayMedia a synthetic "screen" instead of a tab, so it is left out
 * (camera and microphone are granted per context instead, see {@link openParticipant}),
 * and Chromium picks the tab titled `title` without showing its picker.
 */
export function tabCaptureArgs(title: string): string[] {
  return [
    ...CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
    `--auto-select-tab-capture-source-by-title=${title}`,
  ];
}

/** Starts a server for a test file; see {@link ServerProcess}. */
export async function startServer(options?: ServerStartOptions): Promise<ServerProcess> {
  return ServerProcess.start(options);
}

/** Launches headless Chromium; one per test file, a context per participant. */
export async function launchBrowser(args: readonly string[] = CHROMIUM_ARGS): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...args] });
}

/** One network request a page made, HTTP or WebSocket. */
export interface RecordedRequest {
  kind: 'http' | 'websocket';
  url: string;
}

/** A person in a browser context of their own. */
export interface Participant {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Every request of every page of the context, in order. */
  requests: RecordedRequest[];
  /** Uncaught page errors and console errors, for failure reports. */
  errors: string[];
}

/** Options for {@link openParticipant}. */
export interface OpenOptions {
  /** Also record the join click and first frames (the join benchmark). */
  joinTiming?: boolean;
}

/** Opens a fresh browser context for one person, with the request recorder and media probes installed. */
export async function openParticipant(
  browser: Browser,
  name: string,
  options: OpenOptions = {},
): Promise<Participant> {
  // Camera and microphone are granted up front, for browsers launched without the fake UI.
  const context = await browser.newContext({
    viewport: { width: 1024, height: 640 },
    permissions: ['camera', 'microphone'],
  });
  await context.addInitScript(recordPeerConnections);
  if (options.joinTiming === true) await context.addInitScript(recordJoinTiming);
  const requests: RecordedRequest[] = [];
  const errors: string[] = [];
  context.on('request', (request) => requests.push({ kind: 'http', url: request.url() }));
  const watchPage = (page: Page): void => {
    page.on('websocket', (socket) => requests.push({ kind: 'websocket', url: socket.url() }));
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
  };
  context.on('page', watchPage);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { name, context, page, requests, errors };
}

/** Puts `?lang=en` into a meeting link, keeping the token in the fragment. */
export function englishLink(link: string): string {
  const url = new URL(link);
  url.searchParams.set('lang', 'en');
  return url.toString();
}

/**
 * The policy e2e meetings get unless a test asks for another: everyone with a link enters,
 * no passcode, no lock after start (tests of other features need the door open; the lobby
 * test sets its own).
 */
export const OPEN_POLICY = {
  guestPolicy: 'always_accept',
  passcode: 'none',
  lockAfterStartMinutes: null,
} as const;

/** The meeting id in a meeting link. */
export function meetingIdOf(link: string): string {
  const id = /\/m\/([A-Za-z0-9_-]{22})#/.exec(link)?.[1];
  if (id === undefined) throw new Error(`no meeting id in ${link}`);
  return id;
}

/** The links the start page shows after a meeting was created. */
export interface CreatedMeeting {
  moderatorLink: string;
  participantLink: string;
}

/**
 * Creates a meeting on the start page as a signed-in organiser would (the session cookie of
 * the server's test organiser, see {@link accountsOf}), then joins it as moderator through
 * "Join as moderator" and the pre-join page.
 */
export async function createMeetingViaUi(
  browser: Browser,
  server: ServerProcess,
  title: string,
  moderatorName: string,
  policy: object | 'defaults' = OPEN_POLICY,
): Promise<{ moderator: Participant; meeting: CreatedMeeting }> {
  const moderator = await openParticipant(browser, moderatorName);
  const { page } = moderator;
  const { organiser } = await accountsOf(server);
  await moderator.context.addCookies([organiser.session.browserCookie()]);
  await page.goto(`${server.origin}/?lang=en`);
  await page.getByRole('textbox', { name: 'Meeting title', exact: true }).fill(title);
  await page.getByRole('button', { name: 'Create meeting', exact: true }).click();
  const moderatorBox = page.getByRole('textbox', { name: 'Moderator link', exact: true });
  const participantBox = page.getByRole('textbox', { name: 'Participant link', exact: true });
  await moderatorBox.waitFor();
  const meeting = {
    moderatorLink: await moderatorBox.inputValue(),
    participantLink: await participantBox.inputValue(),
  };
  for (const link of Object.values(meeting)) {
    if (
      !/^http:\/\/[^/]+\/m\/[A-Za-z0-9_-]{22}#k=[A-Za-z0-9_-]{43}$/.test(link) ||
      new URL(link).origin !== server.origin
    ) {
      throw new Error(`unexpected meeting link ${link} (server origin ${server.origin})`);
    }
  }
  // The start page creates with the restrictive defaults; tests of other features open the
  // door through the policy API, as the organiser could afterwards.
  if (policy !== 'defaults') {
    await organiser.session.patch(
      `/api/meetings/${meetingIdOf(meeting.moderatorLink)}/policy`,
      policy,
    );
  }
  await page.getByRole('button', { name: 'Join as moderator', exact: true }).click();
  await completePreJoin(moderator);
  return { moderator, meeting };
}

/**
 * Creates a meeting through the HTTP API as the server's test organiser (fast set-up where
 * the start page is not under test).
 */
export async function createMeetingViaApi(
  server: ServerProcess,
  title: string,
  policy: object = OPEN_POLICY,
): Promise<CreatedMeeting & { meetingId: string; passcode?: string }> {
  const { organiser } = await accountsOf(server);
  return organiser.session.post<CreatedMeeting & { meetingId: string; passcode?: string }>(
    '/api/meetings',
    { title, policy },
  );
}

/**
 * Opens the moderator link in a new context signed in as the server's organiser (the
 * moderator link works only for a signed-in account) and joins under `name`.
 */
export async function joinAsOrganiser(
  browser: Browser,
  server: ServerProcess,
  link: string,
  name: string,
): Promise<Participant> {
  const person = await openParticipant(browser, name);
  const { organiser } = await accountsOf(server);
  await person.context.addCookies([organiser.session.browserCookie()]);
  await person.page.goto(englishLink(link));
  await completePreJoin(person);
  return person;
}

/** Opens a link's pre-join page in a new context and joins the meeting under `name`. */
export async function joinMeeting(
  browser: Browser,
  link: string,
  name: string,
): Promise<Participant> {
  const person = await openParticipant(browser, name);
  await person.page.goto(englishLink(link));
  await completePreJoin(person);
  return person;
}

/**
 * Waits until the pre-join page shows the camera preview playing and the microphone level
 * meter, as a person sees before clicking "Join meeting".
 */
export async function waitForDevicePreview(page: Page): Promise<void> {
  await page.getByRole('meter', { name: 'Microphone level', exact: true }).waitFor();
  await page.waitForFunction(() => {
    const preview = document.querySelector('video[aria-label="Camera preview"]');
    return preview instanceof HTMLVideoElement && preview.videoWidth > 0;
  });
}

/** Options for {@link completePreJoin}. */
export interface PreJoinOptions {
  /** Wait for the device preview before clicking (default true); false clicks at once. */
  waitForDevices?: boolean;
}

/** Fills in the pre-join page and waits for the meeting page. */
export async function completePreJoin(
  person: Participant,
  { waitForDevices = true }: PreJoinOptions = {},
): Promise<void> {
  const { page } = person;
  await page.getByRole('textbox', { name: 'Your name', exact: true }).fill(person.name);
  if (waitForDevices) await waitForDevicePreview(page);
  await page.getByRole('button', { name: 'Join meeting', exact: true }).click();
  await page.getByRole('region', { name: 'Video grid', exact: true }).waitFor({ timeout: 20_000 });
}

/** Reads the media state of a page (see {@link snapshotMedia}). */
export async function media(person: Participant): Promise<MediaSnapshot> {
  return person.page.evaluate(snapshotMedia);
}

/** Reads the join benchmark's timing records of a page. */
export async function joinTiming(
  person: Participant,
): Promise<{ clickAt: number | null; firstFrames: FirstFrame[] }> {
  return person.page.evaluate(readJoinTiming);
}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, or fails
 * after `timeoutMs` with the last diagnosis. Tests wait for states, never for fixed times.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  {
    timeoutMs = 15_000,
    intervalMs = 250,
    diagnose,
  }: { timeoutMs?: number; intervalMs?: number; diagnose?: () => Promise<string> } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const detail = diagnose === undefined ? '' : `\n${await diagnose()}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until `person` receives live video from every name in `remoteNames` (framesDecoded
 * of that tile's video rises between two samples at least a second apart) and at least
 * that many inbound audio streams have rising packetsReceived.
 */
export async function expectMediaFrom(
  person: Participant,
  remoteNames: string[],
  timeoutMs = 20_000,
): Promise<void> {
  let baseline = await media(person);
  let baselineAt = Date.now();
  let latest = baseline;
  const framesOf = (snapshot: MediaSnapshot, name: string): number | null =>
    snapshot.remoteVideos.find((v) => v.tileName === name)?.framesDecoded ?? null;
  await waitUntil(
    `${person.name} receives rising video and audio from ${remoteNames.join(', ')}`,
    async () => {
      latest = await media(person);
      if (Date.now() - baselineAt < 1000) return undefined;
      const videoOk = remoteNames.every((name) => {
        const before = framesOf(baseline, name) ?? 0;
        const after = framesOf(latest, name);
        return after !== null && after > before;
      });
      const risingAudio = latest.inboundAudio.filter((now) => {
        const before = baseline.inboundAudio.find((b) => b.trackIdentifier === now.trackIdentifier);
        return now.packetsReceived > (before?.packetsReceived ?? 0);
      }).length;
      if (videoOk && risingAudio >= remoteNames.length) return true;
      // Not there yet: compare the next sample against this one, so "rising" means "rising now".
      baseline = latest;
      baselineAt = Date.now();
      return undefined;
    },
    {
      timeoutMs,
      intervalMs: 500,
      diagnose: () =>
        Promise.resolve(`last media snapshot of ${person.name}: ${JSON.stringify(latest)}`),
    },
  );
}

/** The requests of `people` that went anywhere but `origin` (data:, blob: and about: are not network requests). */
export function foreignRequests(people: Participant[], origin: string): string[] {
  const own = new Set([origin, origin.replace(/^http/, 'ws')]);
  const foreign: string[] = [];
  for (const person of people) {
    for (const request of person.requests) {
      if (/^(data|blob|about):/.test(request.url)) continue;
      if (!own.has(new URL(request.url).origin))
        foreign.push(`${person.name} ${request.kind} ${request.url}`);
    }
  }
  return foreign;
}

/** Closes every participant's context; safe to call with already-closed ones. */
export async function closeAll(people: Participant[]): Promise<void> {
  await Promise.all(people.map((person) => person.context.close().catch(() => undefined)));
}

/** A summary of everything that might explain a failure: page errors and the server's last output. */
export function diagnostics(server: ServerProcess | undefined, people: Participant[]): string {
  const lines = people.flatMap((person) =>
    person.errors.map((error) => `[${person.name}] ${error}`),
  );
  return [
    '--- page errors ---',
    ...lines.slice(-50),
    `--- server output (running: ${String(server?.running)}) ---`,
    server?.logTail() ?? '(no server)',
  ].join('\n');
}
