import type { Bus } from '../meetings/ports.ts';
import { redactUrl } from '../observability/redactUrl.ts';
import type { BusOptions } from './codec.ts';
import { InProcessBus } from './InProcessBus.ts';
import { RedisBus } from './RedisBus.ts';

/**
 * The bus for the configured deployment: Redis pub/sub when `redisUrl` is set (several
 * server processes), otherwise the in-process bus. With Redis it waits until both
 * connections work, so a wrong URL stops the start instead of failing the first meeting.
 */
export async function openBus(
  redisUrl: string | undefined,
  options: BusOptions = {},
): Promise<Bus> {
  if (redisUrl === undefined || redisUrl === '') return new InProcessBus(options);
  const bus = new RedisBus(redisUrl, options);
  try {
    await bus.ready();
  } catch (error) {
    await bus.close();
    throw new Error(`cannot reach Redis at ${redactUrl(redisUrl)}`, { cause: error });
  }
  return bus;
}
