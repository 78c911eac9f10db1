import type { SeenAssertions } from '../../src/auth/saml/SeenAssertions.ts';

/**
 * SeenAssertions in one process's memory, for tests: the same contract as the database
 * table (atomic first-seen, forget after `notOnOrAfter`), without cluster-wide sharing.
 */
export class MemorySeenAssertions implements SeenAssertions {
  readonly #until = new Map<string, number>();

  /** Resolves true the first time an ID is offered while it is remembered. */
  firstSeen(assertionId: string, notOnOrAfter: Date): Promise<boolean> {
    const now = Date.now();
    for (const [id, until] of this.#until) if (until <= now) this.#until.delete(id);
    if (this.#until.has(assertionId)) return Promise.resolve(false);
    this.#until.set(assertionId, notOnOrAfter.getTime());
    return Promise.resolve(true);
  }

  /** How many IDs are remembered (tests check that refused assertions leave none). */
  get size(): number {
    return this.#until.size;
  }
}
