import { OPEN_LOCKS } from '@konvent/protocol';
import type {
  MeetingLockName,
  MeetingLocks as LockState,
  MeetingRole,
  MediaSource,
} from '@konvent/protocol';

/** Every lock open: the default of a new meeting (see `OPEN_LOCKS` in the protocol). */
export const UNLOCKED: Readonly<LockState> = OPEN_LOCKS;

const NAMES = Object.keys(UNLOCKED) as MeetingLockName[];

/** Who is in view: enough of a participant to decide what locks hide. */
interface Visible {
  readonly id: string;
  readonly role: MeetingRole;
}

/** Who sends: their role and whether a moderator granted them screen sharing. */
interface Sender {
  readonly role: MeetingRole;
  readonly mayShare: boolean;
}

/**
 * The locks of one live meeting and what they mean. Locks bind everyone who is not a
 * moderator, so every question is asked with the role the participant holds right now.
 * Kept apart from `Meeting` so the rules live in one small place; the meeting applies
 * them (stopping media, filtering lists) when they change.
 */
export class MeetingLocks {
  #state: LockState = { ...UNLOCKED };

  /** The full current state, as a copy. */
  get state(): LockState {
    return { ...this.#state };
  }

  /** The locks in `changes` whose value differs from the current one (nothing is changed). */
  diff(changes: Partial<LockState>): Partial<LockState> {
    const changed: Partial<LockState> = {};
    for (const name of NAMES) {
      const value = changes[name];
      if (value !== undefined && value !== this.#state[name]) changed[name] = value;
    }
    return changed;
  }

  /** Sets the locks named in `changes`; the rest stay. */
  apply(changes: Partial<LockState>): void {
    this.#state = { ...this.#state, ...this.diff(changes) };
  }

  /** Whether a lock binds someone of this role now (moderators are never bound). */
  binds(role: MeetingRole, name: MeetingLockName): boolean {
    return role !== 'moderator' && this.#state[name];
  }

  /**
   * Whether someone may send a source. Microphones and cameras: unless their lock binds
   * them. A screen: moderators always; presenters and people granted the right
   * (`mayShare`) unless the `screenShare` lock is on; nobody else.
   */
  maySend(sender: Sender, source: MediaSource): boolean {
    if (source === 'screen')
      return (
        sender.role === 'moderator' ||
        (!this.#state.screenShare && (sender.role === 'presenter' || sender.mayShare))
      );
    return !this.binds(sender.role, source === 'microphone' ? 'microphones' : 'cameras');
  }

  /** Whether `viewer` sees `subject` in the participant list (everyone sees themselves). */
  listShows(viewer: Visible, subject: Visible): boolean {
    return (
      viewer.id === subject.id ||
      subject.role === 'moderator' ||
      !this.binds(viewer.role, 'participantList')
    );
  }

  /**
   * Whether `viewer` receives `owner`'s media of this source (only cameras can be hidden;
   * a shared screen is meant for everyone, whoever may share it).
   */
  mediaReaches(viewer: Visible, owner: Visible, source: MediaSource): boolean {
    return (
      source !== 'camera' || owner.role === 'moderator' || !this.binds(viewer.role, 'seeCameras')
    );
  }
}
