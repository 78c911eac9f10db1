/**
 * Who sees whom in the participant list, as a map viewer → subjects. Comparing the map
 * before and after a change (a lock, a role) gives the `participant.joined` and
 * `participant.left` notifications each viewer needs for their list to stay right.
 */

/** Viewer id → the ids of the participants they see. */
export type Visibility = Map<string, Set<string>>;

/** What one viewer must be told: who appeared in and who vanished from their list. */
export interface VisibilityChange {
  viewerId: string;
  appeared: string[];
  vanished: string[];
}

/** The changes from `before` to `after`, for viewers present in both. */
export function visibilityChanges(before: Visibility, after: Visibility): VisibilityChange[] {
  const changes: VisibilityChange[] = [];
  for (const [viewerId, now] of after) {
    const then = before.get(viewerId);
    if (then === undefined) continue;
    const appeared = [...now].filter((id) => !then.has(id));
    const vanished = [...then].filter((id) => !now.has(id));
    if (appeared.length > 0 || vanished.length > 0) changes.push({ viewerId, appeared, vanished });
  }
  return changes;
}
