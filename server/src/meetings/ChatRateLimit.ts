/**
 * How many chat messages one participant may send: at most `messages` in any `windowMs`.
 * A sliding window rather than a token bucket, so the limit is exactly what the error
 * message promises ("at most 10 in 10 seconds") and never lets a refilled burst through.
 */
export interface ChatRateRule {
  readonly messages: number;
  readonly windowMs: number;
}

/** The default: ten messages in ten seconds is far beyond typing speed, not beyond a script. */
export const DEFAULT_CHAT_RATE: ChatRateRule = { messages: 10, windowMs: 10_000 };

/**
 * Per-participant chat send times, grouped by meeting so a closing meeting drops all of
 * its participants at once. Held by the domain, not the socket, so a participant gains
 * nothing by sending from a second socket or reconnecting.
 */
export class ChatRateLimit {
  readonly #rule: ChatRateRule;
  /** meetingId → participantId → send times (ms), oldest first, at most `rule.messages`. */
  readonly #sent = new Map<string, Map<string, number[]>>();

  constructor(rule: ChatRateRule = DEFAULT_CHAT_RATE) {
    this.#rule = rule;
  }

  /** Counts a message sent at `now` (ms) if the participant is under the limit; false if not. */
  take(meetingId: string, participantId: string, now: number): boolean {
    let meeting = this.#sent.get(meetingId);
    if (meeting === undefined) {
      meeting = new Map();
      this.#sent.set(meetingId, meeting);
    }
    const times = (meeting.get(participantId) ?? []).filter(
      (t) => now - t < this.#rule.windowMs && t <= now,
    );
    if (times.length >= this.#rule.messages) {
      meeting.set(participantId, times);
      return false;
    }
    times.push(now);
    meeting.set(participantId, times);
    return true;
  }

  /** Forgets a participant who has left. */
  forgetParticipant(meetingId: string, participantId: string): void {
    const meeting = this.#sent.get(meetingId);
    meeting?.delete(participantId);
    if (meeting?.size === 0) this.#sent.delete(meetingId);
  }

  /** Forgets everyone of a meeting that closed here. */
  forgetMeeting(meetingId: string): void {
    this.#sent.delete(meetingId);
  }
}
