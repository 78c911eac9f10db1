import type { ChatMessage } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import { ChatRateLimit, DEFAULT_CHAT_RATE, type ChatRateRule } from './ChatRateLimit.ts';
import type { MeetingEvents } from './events.ts';
import type { Fanout } from './Fanout.ts';
import type { Meeting } from './Meeting.ts';
import type { AuditTrail, Clock, MeetingRepository } from './ports.ts';
import type { TypedEmitter } from './TypedEmitter.ts';

/** What the desk needs. */
export interface ChatDeskDeps {
  repo: MeetingRepository;
  fanout: Fanout;
  audit: AuditTrail;
  clock: Clock;
  events: TypedEmitter<MeetingEvents>;
  load: (meetingId: string) => Promise<Meeting>;
  rate?: ChatRateRule;
}

/**
 * Chat moderation around `Meeting.sendChat` (C4, H1): every participant's messages are
 * rate limited here, whichever socket carries them, and moderators delete messages. A
 * deleted message vanishes for everyone who could see it and its text is erased at rest;
 * the audit trail keeps who deleted which message of whom, never the text.
 */
export class ChatDesk {
  readonly #deps: ChatDeskDeps;
  readonly #rule: ChatRateRule;
  readonly #limit: ChatRateLimit;

  constructor(deps: ChatDeskDeps) {
    this.#deps = deps;
    this.#rule = deps.rate ?? DEFAULT_CHAT_RATE;
    this.#limit = new ChatRateLimit(this.#rule);
    deps.events.on('participantLeft', ({ meetingId, participantId }) => {
      this.#limit.forgetParticipant(meetingId, participantId);
    });
    deps.events.on('meetingClosed', ({ meetingId }) => {
      this.#limit.forgetMeeting(meetingId);
    });
  }

  /**
   * Sends a message (see `Meeting.sendChat`) unless the sender is over the rate limit,
   * which is `rate_limited` with nothing stored or sent.
   */
  async send(
    senderId: string,
    meetingId: string,
    text: string,
    to: string | undefined,
  ): Promise<ChatMessage> {
    const meeting = await this.#deps.load(meetingId);
    // Only people in the meeting are counted (nobody else could be forgotten when they
    // leave); `sendChat` refuses the others.
    const now = this.#deps.clock.now().getTime();
    if (meeting.has(senderId) && !this.#limit.take(meetingId, senderId, now)) {
      const seconds = Math.round(this.#rule.windowMs / 1000);
      throw new AppError(
        'rate_limited',
        `You are sending messages too fast: at most ${String(this.#rule.messages)} in ${String(seconds)} seconds. Wait a moment and send again.`,
      );
    }
    return meeting.sendChat(senderId, text, to);
  }

  /**
   * A moderator deletes a message they can see (a public one, or a private one they sent or
   * received): stored as deleted with its text erased, audited, and everyone who could see
   * it is told. An unknown, already deleted or unseen message is `not_found`.
   */
  async delete(actorId: string, meetingId: string, messageId: string): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(actorId, 'chat.delete', 'moderation.chat_deleted', messageId);
    const deleted = await this.#deps.repo.deleteChat(
      meetingId,
      messageId,
      actorId,
      this.#deps.clock.now(),
    );
    if (deleted === undefined) throw new AppError('not_found', 'There is no such message.');
    await this.#deps.audit.record({
      action: 'moderation.chat_deleted',
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target: messageId,
      outcome: 'success',
      details: { sender: deleted.senderId, private: deleted.to !== undefined },
    });
    await this.#deps.fanout.notify(
      meetingId,
      deleted.to === undefined ? 'all' : [deleted.senderId, deleted.to],
      'chat.deleted',
      { messageId },
    );
  }
}
