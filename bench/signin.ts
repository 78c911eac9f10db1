/**
 * Sign-in timing benchmark (issue 4 item 7: "the same answer and similar timing for unknown
 * users and wrong passwords"): how long `POST /api/auth/login` takes for a wrong password of
 * an existing account, for an unknown user name, and for a correct password, through the real
 * HTTP stack (in-process, `inject`) on the embedded database.
 *
 *   npm run bench:signin            (SAMPLES=40 per case by default)
 *
 * The cases are interleaved so that load on the machine affects them alike. Each wrong
 * attempt uses another account (and each unknown attempt another name), so the per-account
 * lock (5 failures) never triggers; the per-network limit is lifted for the run, and each request comes from another address. Prints the
 * median and the 10th/90th percentile per case and, last,
 * `signin wrong_password=<ms> unknown_user=<ms> ratio=<unknown/wrong>`.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { hashPassword } from '../server/src/auth/passwords.ts';
import { eachBackend } from '../server/test/helpers/databases.ts';
import { startTestServer, TEST_ORIGIN } from '../server/test/helpers/testServer.ts';

const SAMPLES = Number(process.env['SAMPLES'] ?? 40);
const PASSWORD = 'Lila Elefanten tanzen im Regen 2026';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const [backend] = eachBackend();
if (backend === undefined) throw new Error('no backend');
const t = await startTestServer(backend, {
  apiPerMinute: 1_000_000,
  auth: { source: { maxFailures: 1_000_000, windowMs: 60_000, lockMs: 60_000 } },
});
try {
  const accounts: string[] = [];
  const hash = await hashPassword(PASSWORD);
  for (let i = 0; i < SAMPLES; i++) {
    const username = `user${String(i)}@example.org`;
    await t.server.auth.users.insert(
      {
        username,
        displayName: 'U',
        roles: ['member'],
        source: 'local',
        status: 'active',
        passwordHash: hash,
      },
      new Date(),
    );
    accounts.push(username);
  }
  let request = 0;
  const login = async (username: string, password: string): Promise<number> => {
    request += 1;
    const started = performance.now();
    const answer = await t.server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      // A new address each time: the per-address limit of the sign-in route (20 a minute)
      // is not what this measures.
      remoteAddress: `2001:db8:${request.toString(16)}::1`,
      headers: { 'content-type': 'application/json', origin: TEST_ORIGIN },
      payload: JSON.stringify({ username, password }),
    });
    const ms = performance.now() - started;
    if (answer.statusCode !== 401 && answer.statusCode !== 200) {
      throw new Error(`unexpected ${String(answer.statusCode)} ${answer.body}`);
    }
    return ms;
  };
  // Warm-up: JIT, the dummy hash, the first queries.
  await login('warmup@example.org', 'x');
  await login(accounts[0] ?? '', 'wrong password 0');
  const times = { wrong: [] as number[], unknown: [] as number[], right: [] as number[] };
  for (let i = 0; i < SAMPLES; i++) {
    const account = accounts[i] ?? '';
    times.wrong.push(await login(account, `wrong password ${String(i)}`));
    times.unknown.push(
      await login(`nobody-${randomBytes(4).toString('hex')}@example.org`, 'whatever'),
    );
    times.right.push(await login(account, PASSWORD));
  }
  const summary: Record<string, number> = {};
  for (const [name, samples] of Object.entries(times)) {
    const sorted = [...samples].sort((a, b) => a - b);
    summary[name] = quantile(sorted, 0.5);
    console.log(
      `${name.padEnd(8)} n=${String(sorted.length)} p10=${quantile(sorted, 0.1).toFixed(1)} ms ` +
        `median=${quantile(sorted, 0.5).toFixed(1)} ms p90=${quantile(sorted, 0.9).toFixed(1)} ms`,
    );
  }
  console.log(`load average ${loadavg()[0]?.toFixed(2) ?? '?'}`);
  const wrong = summary['wrong'] ?? Number.NaN;
  const unknown = summary['unknown'] ?? Number.NaN;
  console.log(
    `signin wrong_password=${wrong.toFixed(1)} unknown_user=${unknown.toFixed(1)} ratio=${(unknown / wrong).toFixed(2)}`,
  );
} finally {
  await t.close();
}
