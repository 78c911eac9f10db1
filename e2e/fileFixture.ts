import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  closeAll,
  diagnostics,
  launchBrowser,
  startServer,
  type Participant,
  type ServerProcess,
} from './harness.ts';

/** What a test file gets from {@link serverAndBrowserPerFile}. */
export interface FileFixture {
  /** Server and browser of this file; `before` has set them when a test runs. */
  env: () => { server: ServerProcess; browser: Browser };
  /**
   * Runs a scenario with the people it opens; on failure adds page errors and the server's
   * output to the error, and always closes the people's browser contexts.
   */
  withPeople: (body: (people: Participant[]) => Promise<void>) => Promise<void>;
}

/**
 * One server and one browser for the whole test file: started together in `before` (so
 * `after` can close whichever started when the other failed), stopped in `after`.
 * `browserArgs` replace the default Chromium arguments (e.g. `tabCaptureArgs` of the harness).
 */
export function serverAndBrowserPerFile(browserArgs?: readonly string[]): FileFixture {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;

  before(async () => {
    const [started, launched] = await Promise.allSettled([
      startServer(),
      launchBrowser(browserArgs),
    ]);
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    env: () => {
      assert.ok(server !== undefined && browser !== undefined, 'server and browser are started');
      return { server, browser };
    },
    withPeople: async (body) => {
      const people: Participant[] = [];
      try {
        await body(people);
      } catch (error) {
        // The cause keeps the original stack; the message gains what explains it.
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message}\n${diagnostics(server, people)}`, { cause: error });
      } finally {
        await closeAll(people);
      }
    },
  };
}
