import type { Clock } from '../meetings/ports.ts';

/** The real time; tests substitute a fixed clock. */
export const systemClock: Clock = {
  now: () => new Date(),
};
