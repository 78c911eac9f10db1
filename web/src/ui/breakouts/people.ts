import type { Participant } from '@konvent/protocol';

/** Someone of the main meeting, as the breakout UI lists them. */
export interface Person {
  id: string;
  name: string;
  isModerator: boolean;
}

/** Everyone in the main meeting (me first), from its client's snapshot. */
export function peopleOf(self: Participant | null, others: readonly Participant[]): Person[] {
  return [...(self ? [self] : []), ...others].map((p) => ({
    id: p.id,
    name: p.displayName,
    isModerator: p.role === 'moderator',
  }));
}
