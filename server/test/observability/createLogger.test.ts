import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { childLogger, createLogger, type Logger } from '../../src/observability/createLogger.ts';

/** A logger writing into memory, and a function returning the lines written so far. */
function capture(level: 'info' | 'debug' = 'info'): {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
  text: () => string;
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ logLevel: level }, destination);
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const SECRET_VALUES = [
  'tok-8f1b2c',
  'pw-hunter2',
  'pin-4711',
  'sec-c0ffee',
  'cookie-kv_abc=xyz',
  'Bearer auth-123',
  'set-cookie-value',
  'session-secret-bytes',
];

describe('createLogger', () => {
  test('tokens, passwords, PINs, secrets, cookies and authorization headers never reach the output', () => {
    const { logger, text } = capture();
    logger.info(
      {
        token: 'tok-8f1b2c',
        password: 'pw-hunter2',
        pin: 'pin-4711',
        secret: 'sec-c0ffee',
        sessionSecret: 'session-secret-bytes',
        req: {
          headers: {
            cookie: 'cookie-kv_abc=xyz',
            authorization: 'Bearer auth-123',
            'set-cookie': ['set-cookie-value'],
          },
        },
      },
      'top level and request headers',
    );
    logger.info(
      { a: { b: { c: { d: { e: { f: { token: 'tok-8f1b2c', Password: 'pw-hunter2' } } } } } } },
      'deeply nested',
    );
    logger.info({ list: [{ pin: 'pin-4711' }, [{ cookie: 'cookie-kv_abc=xyz' }]] }, 'in arrays');
    logger.info({ res: { headers: { 'Set-Cookie': 'set-cookie-value' } } }, 'response');
    const output = text();
    for (const value of SECRET_VALUES) assert.equal(output.includes(value), false, value);
    assert.match(output, /\[Redacted\]/);
  });

  test('secrets in child bindings, errors and circular objects are redacted too', () => {
    const { logger, text } = capture();
    logger.child({ token: 'tok-8f1b2c', nested: { password: 'pw-hunter2' } }).info('child');
    const err = Object.assign(new Error('failed'), { secret: 'sec-c0ffee' });
    logger.error({ err }, 'error with a secret property');
    const loop: Record<string, unknown> = { pin: 'pin-4711' };
    loop['self'] = loop;
    logger.info({ loop }, 'circular');
    const output = text();
    for (const value of SECRET_VALUES) assert.equal(output.includes(value), false, value);
  });

  test('fields that merely resemble secret names stay visible', () => {
    const { logger, lines } = capture();
    logger.info({ tokenHash: 'abc', pinned: true, meetingId: 'm1' }, 'not secrets');
    const [line] = lines();
    assert.ok(line);
    assert.equal(line['tokenHash'], 'abc');
    assert.equal(line['pinned'], true);
    assert.equal(line['meetingId'], 'm1');
  });

  test('the logged object itself is not changed by redaction', () => {
    const { logger } = capture();
    const data = { token: 'tok-8f1b2c', nested: { password: 'pw-hunter2' } };
    logger.info(data, 'original stays');
    assert.deepEqual(data, { token: 'tok-8f1b2c', nested: { password: 'pw-hunter2' } });
  });

  test('a child logger names its module on every line, and the level filters', () => {
    const { logger, lines } = capture('info');
    const storage = childLogger(logger, 'storage');
    storage.info('opened');
    storage.debug('hidden at info level');
    const [line, ...more] = lines();
    assert.deepEqual(more, []);
    assert.ok(line);
    assert.equal(line['module'], 'storage');
    assert.equal(line['level'], 'info');
    assert.equal(line['msg'], 'opened');
    assert.equal(typeof line['time'], 'string');
  });
});
