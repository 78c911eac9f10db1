/**
 * English strings of chat moderation and the chat's rate limit (the basic chat strings are
 * in `meeting.en.ts`). `en.ts` spreads them in, and `chat.de.ts` must provide exactly the
 * same keys.
 */
export const chatEn = {
  'chat.delete': 'Delete',
  'chat.deleteLabel': 'Delete message from {name}',
  'chat.deleteTitle': 'Delete this message?',
  'chat.deleteText':
    'The message from {name} disappears for everyone who can see it, also from the history of people who join later. It cannot be restored.',
  'chat.deleteConfirm': 'Delete message',
  'chat.deleted': 'Message deleted.',
  'chat.deleteFailed': 'The message could not be deleted.',
  'chat.rateLimited':
    'You are sending messages too quickly (at most 10 in 10 seconds). Wait a few seconds, then send again; your text is still here.',
} as const satisfies Record<string, string>;
