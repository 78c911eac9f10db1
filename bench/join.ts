/**
 * Join latency benchmark: time from the click on "Join meeting" to the first frame of an
 * already-running publisher's video on the joiner's screen.
 *
 *   npm run bench:join            (JOINS=20 WARMUP=1 by default)
 *
 * Starts a real server (as the e2e harness does), creates a meeting, lets one participant
 * (the publisher) join and send camera and microphone, then lets JOINS fresh browser
 * contexts join one after another. Both timestamps are taken inside the joiner's page
 * (performance.timeOrigin + performance.now(); the click in a capture-phase listener, the
 * frame in requestVideoFrameCallback), so Playwright's own latency is not measured. Each
 * joiner leaves before the next one joins. Prints every sample and, as the last line,
 * `join p50=<s>s p95=<s>s` (nearest-rank percentiles). WARMUP joins run first and are not
 * counted: they pay one-off costs (JIT, first worker router) that no real join pays twice.
 */
import {
  closeAll,
  completePreJoin,
  createMeetingViaApi,
  joinAsOrganiser,
  diagnostics,
  englishLink,
  expectMediaFrom,
  joinTiming,
  launchBrowser,
  openParticipant,
  startServer,
  waitUntil,
  type Participant,
  type ServerProcess,
} from '../e2e/harness.ts';
import { cpus, loadavg } from 'node:os';
import type { Browser } from 'playwright-core';

const PUBLISHER = 'Publisher';

/** Reads a positive integer from the environment. */
function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return value;
}

/** The 1-minute load average: other work on the machine shows up directly in join latency. */
function loadLine(): string {
  return `load average ${loadavg()[0]?.toFixed(2) ?? '?'}`;
}

/** The nearest-rank percentile `p` (0–100) of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) throw new Error('no samples');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

/** One join: open the pre-join page, fill the name, click, wait for the publisher's first frame, leave. Returns seconds. */
async function measureJoin(browser: Browser, link: string, name: string): Promise<number> {
  const joiner = await openParticipant(browser, name, { joinTiming: true });
  try {
    await joiner.page.goto(englishLink(link));
    await completePreJoin(joiner);
    const timing = await waitUntil(
      `${name} shows the publisher's first frame`,
      async () => {
        const t = await joinTiming(joiner);
        const frame = t.firstFrames.find((f) => f.tileName === PUBLISHER);
        const at = frame?.presentedAt ?? frame?.loadedAt ?? null;
        return t.clickAt !== null && at !== null ? { clickAt: t.clickAt, at } : undefined;
      },
      {
        timeoutMs: 20_000,
        intervalMs: 50,
        diagnose: async () => JSON.stringify(await joinTiming(joiner)),
      },
    );
    await joiner.page.getByRole('button', { name: 'Leave meeting', exact: true }).click();
    await joiner.page
      .getByRole('heading', { name: 'You have left the meeting', exact: true })
      .waitFor();
    return (timing.at - timing.clickAt) / 1000;
  } finally {
    await closeAll([joiner]);
  }
}

async function main(): Promise<void> {
  const joins = intFromEnv('JOINS', 20);
  if (joins < 1) throw new Error('JOINS must be at least 1');
  const warmup = intFromEnv('WARMUP', 1);
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const people: Participant[] = [];
  try {
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${loadLine()}`);
    server = await startServer();
    browser = await launchBrowser();
    const meeting = await createMeetingViaApi(server, 'Join benchmark');
    // The moderator link works only signed in; joiners use the open test policy.
    const publisher = await joinAsOrganiser(browser, server, meeting.moderatorLink, PUBLISHER);
    people.push(publisher);

    // Check the set-up once: a first joiner must really receive the publisher's media.
    const probe = await openParticipant(browser, 'Probe');
    people.push(probe);
    await probe.page.goto(englishLink(meeting.participantLink));
    await completePreJoin(probe);
    await expectMediaFrom(probe, [PUBLISHER]);
    await probe.page.getByRole('button', { name: 'Leave meeting', exact: true }).click();
    await closeAll([probe]);

    for (let i = 1; i <= warmup; i++) {
      const seconds = await measureJoin(browser, meeting.participantLink, `Warm-up ${i}`);
      console.log(`warm-up ${i}: ${seconds.toFixed(3)} s (not counted)`);
    }
    const samples: number[] = [];
    for (let i = 1; i <= joins; i++) {
      const seconds = await measureJoin(browser, meeting.participantLink, `Joiner ${i}`);
      samples.push(seconds);
      console.log(`join ${i}: ${seconds.toFixed(3)} s`);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const min = sorted[0] ?? Number.NaN;
    const max = sorted[sorted.length - 1] ?? Number.NaN;
    console.log(
      `samples=${samples.length} min=${min.toFixed(3)}s max=${max.toFixed(3)}s, ${loadLine()}`,
    );
    console.log(
      `join p50=${percentile(sorted, 50).toFixed(3)}s p95=${percentile(sorted, 95).toFixed(3)}s`,
    );
  } catch (error) {
    console.error(diagnostics(server, people));
    throw error;
  } finally {
    await closeAll(people);
    await browser?.close();
    await server?.stop();
  }
}

await main();
