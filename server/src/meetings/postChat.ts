import type { ChatMessage } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { LockEnforcer } from './LockEnforcer.ts';
import type { LiveParticipant, MeetingDeps } from './MeetingDeps.ts';
import type { ChatRecord } from './ports.ts';
import { newId } from './secrets.ts';
import { toChatMessage } from './toChatMessage.ts';

/** What posting a message needs from its meeting; the sender's right was checked already. */
export interface ChatContext {
  meetingId: string;
  sender: LiveParticipant;
  participants: ReadonlyMap<string, LiveParticipant>;
  locks: LockEnforcer<LiveParticipant>;
  deps: Pick<MeetingDeps, 'clock' | 'repo' | 'fanout' | 'observer'>;
}

/**
 * Posts a chat message, publicly or privately to `to`, for a sender whose role allows it:
 * the chat locks are applied, the recipient must be someone the sender can see, the
 * repository seals the text, and the others are told before the sender's reply goes out.
 */
export async function postChat(
  ctx: ChatContext,
  text: string,
  to: string | undefined,
): Promise<ChatMessage> {
  const { sender, locks, deps } = ctx;
  locks.assertMayChat(sender, to !== undefined);
  if (text.trim() === '') throw new AppError('bad_request', 'The message is empty.');
  if (to !== undefined) {
    const recipient = ctx.participants.get(to);
    const hidden = recipient !== undefined && !locks.rules.listShows(sender, recipient);
    if (recipient?.visible !== true || recipient.id === sender.id || hidden) {
      throw new AppError('bad_request', 'The recipient is not in the meeting.');
    }
  }
  const record: ChatRecord = {
    id: newId(),
    meetingId: ctx.meetingId,
    senderId: sender.id,
    senderName: sender.displayName,
    text,
    sentAt: deps.clock.now(),
  };
  if (to !== undefined) record.to = to;
  await deps.repo.appendChat(record);
  const message = toChatMessage(record);
  // Awaited so the sender's reply never overtakes what the others see.
  await deps.fanout.notify(
    ctx.meetingId,
    to === undefined ? 'all' : [to],
    'chat.message',
    { message },
    sender.id,
  );
  deps.observer.emit('chatSent', { meetingId: ctx.meetingId, private: to !== undefined });
  return message;
}
