import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { closeAll, foreignRequests, launchBrowser, openParticipant, waitUntil } from './harness.ts';

// The P2 check in meeting.test.ts passes when nothing foreign is recorded; this proves the
// recorder would see a foreign request if the client made one, so that pass means something.

/** A page that reaches for another origin by HTTP (an image) and by WebSocket. */
const LEAKY_PAGE = `<!doctype html><title>leaky</title>
<img src="http://127.0.0.2:9/pixel.png" alt="">
<script>try { new WebSocket('ws://127.0.0.2:9/socket'); } catch {}</script>`;

let server: Server | undefined;
let browser: Browser | undefined;

before(async () => {
  server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(LEAKY_PAGE);
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test('the request recorder reports HTTP and WebSocket requests to a foreign origin', async () => {
  assert.ok(server !== undefined && browser !== undefined);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const person = await openParticipant(browser, 'Leaky');
  try {
    await person.page.goto(`${origin}/`);
    const foreign = await waitUntil('both foreign requests are recorded', () => {
      const found = foreignRequests([person], origin);
      return Promise.resolve(found.length >= 2 ? found : undefined);
    });
    assert.deepEqual(foreign.sort(), [
      'Leaky http http://127.0.0.2:9/pixel.png',
      'Leaky websocket ws://127.0.0.2:9/socket',
    ]);
    assert.ok(
      person.requests.some((r) => r.url === `${origin}/`),
      'own requests are recorded too',
    );
  } finally {
    await closeAll([person]);
  }
});
