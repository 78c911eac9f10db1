// Smoke test for a mediasoup worker binary built by scripts/build-mediasoup-worker.sh.
//
// Usage:
//   MEDIASOUP_WORKER_BIN=/var/cache/konvent/mediasoup-worker-3.12.16 \
//     node scripts/mediasoup/smoke.mjs [path-to-mediasoup-package-dir]
//
// The package dir defaults to the `mediasoup` package resolved from the current
// directory. Starts a real worker, creates a router with Opus and VP8 and a
// WebRtcTransport on 127.0.0.1 (which exercises libuv, OpenSSL/DTLS and the
// worker's channel), prints "mediasoup smoke ok <version>" and closes. Exits
// non-zero on any failure or after 20 s.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';

const fail = (msg) => {
  console.error(`mediasoup smoke FAILED: ${msg}`);
  process.exit(1);
};

const workerBin = process.env.MEDIASOUP_WORKER_BIN;
if (!workerBin) fail('set MEDIASOUP_WORKER_BIN to the worker binary');
if (!existsSync(workerBin)) fail(`MEDIASOUP_WORKER_BIN does not exist: ${workerBin}`);

const require = createRequire(path.join(process.cwd(), 'noop.js'));
const pkgDir = process.argv[2] ? path.resolve(process.argv[2]) : 'mediasoup';

const timer = setTimeout(() => fail('timed out after 20 s'), 20_000);

// mediasoup reads MEDIASOUP_WORKER_BIN when it is loaded, so load it only now.
const mediasoup = require(pkgDir);

const worker = await mediasoup.createWorker({
  logLevel: 'warn',
  rtcMinPort: 40000,
  rtcMaxPort: 40100,
});
worker.on('died', (error) => fail(`worker died: ${error?.message ?? error}`));

try {
  const usage = await worker.getResourceUsage();
  if (typeof usage.ru_maxrss !== 'number') fail('worker returned no resource usage');

  const router = await worker.createRouter({
    mediaCodecs: [
      { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
      { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
    ],
  });
  const mimeTypes = router.rtpCapabilities.codecs.map((c) => c.mimeType.toLowerCase());
  for (const want of ['audio/opus', 'video/vp8']) {
    if (!mimeTypes.includes(want)) fail(`router lacks ${want} (has ${mimeTypes.join(', ')})`);
  }

  const transport = await router.createWebRtcTransport({
    listenIps: [{ ip: '127.0.0.1' }],
    enableUdp: true,
    enableTcp: true,
    preferUdp: true,
  });
  const candidate = transport.iceCandidates[0];
  if (!candidate || candidate.ip !== '127.0.0.1') {
    fail(`unexpected ICE candidates ${JSON.stringify(transport.iceCandidates)}`);
  }
  const fingerprints = transport.dtlsParameters.fingerprints;
  if (
    !fingerprints.some(
      (f) => f.algorithm === 'sha-256' && /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(f.value),
    )
  ) {
    fail(`no sha-256 DTLS fingerprint: ${JSON.stringify(fingerprints)}`);
  }
  const stats = await transport.getStats();
  if (!Array.isArray(stats) || stats.length === 0) fail('transport returned no stats');

  transport.close();
  router.close();
  console.log(`mediasoup smoke ok ${mediasoup.version}`);
} finally {
  worker.close();
  clearTimeout(timer);
}
