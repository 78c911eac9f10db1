import type { ChatMessage } from '@konvent/protocol';
import type { ChatRecord } from './ports.ts';

/** Converts a stored chat record to its wire form. */
export function toChatMessage(record: ChatRecord): ChatMessage {
  const message: ChatMessage = {
    id: record.id,
    senderId: record.senderId,
    senderName: record.senderName,
    text: record.text,
    sentAt: record.sentAt.toISOString(),
  };
  if (record.to !== undefined) message.to = record.to;
  return message;
}
