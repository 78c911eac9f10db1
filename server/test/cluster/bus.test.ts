import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BusClosedError } from '../../src/cluster/BusClosedError.ts';
import type { BusOptions } from '../../src/cluster/codec.ts';
import { InProcessBus } from '../../src/cluster/InProcessBus.ts';
import { openBus } from '../../src/cluster/openBus.ts';
import { RedisBus } from '../../src/cluster/RedisBus.ts';
import type { Bus } from '../../src/meetings/ports.ts';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Collects messages and waits until a number of them arrived. */
function collector() {
  const received: unknown[] = [];
  return {
    received,
    handler: (message: unknown) => {
      received.push(message);
    },
    async waitFor(count: number, timeoutMs = 2000): Promise<unknown[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          assert.fail(`expected ${count} messages, got ${received.length}`);
        }
        await sleep(5);
      }
      return received;
    },
  };
}

/** Waits long enough that a message that should not arrive would have arrived. */
async function settle(): Promise<void> {
  await sleep(100);
}

const kinds: Array<{ name: string; create(options?: BusOptions): Promise<Bus> }> = [
  { name: 'InProcessBus', create: (options) => Promise.resolve(new InProcessBus(options)) },
  {
    name: 'RedisBus',
    create: async (options) => {
      const bus = new RedisBus(REDIS_URL, options);
      await bus.ready();
      return bus;
    },
  },
];

for (const kind of kinds) {
  describe(`${kind.name} behaviour`, () => {
    const open: Bus[] = [];
    let prefix = '';
    const channel = (name: string) => `${prefix}:${name}`;
    const create = async (options?: BusOptions) => {
      prefix = `konvent-test:${randomBytes(6).toString('hex')}`;
      const bus = await kind.create(options);
      open.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((bus) => bus.close()));
    });

    test('a subscriber receives the messages of its channel in publish order', async () => {
      const bus = await create();
      const inbox = collector();
      await bus.subscribe(channel('a'), inbox.handler);
      for (let i = 0; i < 20; i++) await bus.publish(channel('a'), { i, text: `m${i}` });
      const received = await inbox.waitFor(20);
      assert.deepEqual(
        received,
        Array.from({ length: 20 }, (_, i) => ({ i, text: `m${i}` })),
      );
    });

    test('a subscriber does not receive messages of other channels', async () => {
      const bus = await create();
      const inbox = collector();
      await bus.subscribe(channel('mine'), inbox.handler);
      await bus.publish(channel('other'), 'not for you');
      await bus.publish(channel('mine'), 'for you');
      await inbox.waitFor(1);
      await settle();
      assert.deepEqual(inbox.received, ['for you']);
    });

    test('each subscriber gets its own copy of a message', async () => {
      const bus = await create();
      const first = collector();
      const second = collector();
      await bus.subscribe(channel('copy'), first.handler);
      await bus.subscribe(channel('copy'), second.handler);
      const sent = { nested: { value: 1 } };
      await bus.publish(channel('copy'), sent);
      const [a] = await first.waitFor(1);
      const [b] = await second.waitFor(1);
      assert.deepEqual(a, sent);
      assert.deepEqual(b, sent);
      assert.notEqual(a, sent);
      assert.notEqual(a, b);
    });

    test('ending one subscription leaves the others on the channel working', async () => {
      const bus = await create();
      const stays = collector();
      const leaves = collector();
      await bus.subscribe(channel('c'), stays.handler);
      const unsubscribe = await bus.subscribe(channel('c'), leaves.handler);
      await bus.publish(channel('c'), 1);
      await leaves.waitFor(1);
      await unsubscribe();
      await unsubscribe();
      await bus.publish(channel('c'), 2);
      await stays.waitFor(2);
      await settle();
      assert.deepEqual(stays.received, [1, 2]);
      assert.deepEqual(leaves.received, [1]);
    });

    test('the same handler subscribed twice is delivered to twice and ends separately', async () => {
      const bus = await create();
      const inbox = collector();
      const first = await bus.subscribe(channel('twice'), inbox.handler);
      await bus.subscribe(channel('twice'), inbox.handler);
      await bus.publish(channel('twice'), 'x');
      await inbox.waitFor(2);
      await first();
      await bus.publish(channel('twice'), 'y');
      await inbox.waitFor(3);
      await settle();
      assert.deepEqual(inbox.received, ['x', 'x', 'y']);
    });

    test('after the last unsubscribe nothing is delivered, and subscribing again works', async () => {
      const bus = await create();
      const inbox = collector();
      const unsubscribe = await bus.subscribe(channel('re'), inbox.handler);
      await unsubscribe();
      await bus.publish(channel('re'), 'lost');
      await settle();
      assert.deepEqual(inbox.received, []);
      const again = collector();
      const off = await bus.subscribe(channel('re'), again.handler);
      await bus.publish(channel('re'), 'found');
      await again.waitFor(1);
      assert.deepEqual(again.received, ['found']);
      // Unsubscribe and resubscribe without waiting in between: the subscription must survive.
      const pending = off();
      const third = collector();
      const subscribed = bus.subscribe(channel('re'), third.handler);
      await pending;
      await subscribed;
      await bus.publish(channel('re'), 'still here');
      await third.waitFor(1);
      assert.deepEqual(third.received, ['still here']);
    });

    test('a handler that throws does not stop delivery to the others and is reported', async () => {
      const errors: Array<{ error: unknown; channel: string | undefined }> = [];
      const bus = await create({
        onError: (error, where) => errors.push({ error, channel: where }),
      });
      const inbox = collector();
      await bus.subscribe(channel('boom'), () => {
        throw new Error('handler failed');
      });
      await bus.subscribe(channel('boom'), inbox.handler);
      await bus.publish(channel('boom'), 'still delivered');
      await inbox.waitFor(1);
      const [reported, ...more] = errors;
      assert.deepEqual(more, []);
      assert.equal(reported?.channel, channel('boom'));
      assert.match(String(reported.error), /handler failed/);
    });

    test('a message that is not JSON-serialisable is refused at publish', async () => {
      const bus = await create();
      await assert.rejects(bus.publish(channel('bad'), undefined), TypeError);
      await assert.rejects(bus.publish(channel('bad'), 10n), TypeError);
    });

    test('after close, publish and subscribe reject with a typed error and close is idempotent', async () => {
      const bus = await create();
      const inbox = collector();
      await bus.subscribe(channel('closing'), inbox.handler);
      await bus.close();
      await bus.close();
      await assert.rejects(bus.publish(channel('closing'), 1), BusClosedError);
      await assert.rejects(bus.subscribe(channel('closing'), inbox.handler), BusClosedError);
      assert.deepEqual(inbox.received, []);
    });
  });
}

describe('RedisBus across processes', () => {
  test('a message published by one server process reaches subscribers in another', async () => {
    const prefix = `konvent-test:${randomBytes(6).toString('hex')}`;
    const one = await openBus(REDIS_URL);
    const two = await openBus(REDIS_URL);
    try {
      assert.ok(one instanceof RedisBus);
      const inbox = collector();
      await two.subscribe(`${prefix}:x`, inbox.handler);
      await one.publish(`${prefix}:x`, { from: 'one' });
      assert.deepEqual(await inbox.waitFor(1), [{ from: 'one' }]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  test('openBus refuses to start when Redis cannot be reached, without showing the password', async () => {
    const quiet = { onError: () => undefined };
    await assert.rejects(openBus('redis://:hunter2@127.0.0.1:1', quiet), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });

  test('openBus without a Redis URL gives the in-process bus', async () => {
    const bus = await openBus(undefined);
    assert.ok(bus instanceof InProcessBus);
    await bus.close();
  });
});
