import type { chatEn } from './chat.en.ts';

/** German strings of chat moderation and the chat's rate limit; typed against the English ones. */
export const chatDe: Record<keyof typeof chatEn, string> = {
  'chat.delete': 'Löschen',
  'chat.deleteLabel': 'Nachricht von {name} löschen',
  'chat.deleteTitle': 'Diese Nachricht löschen?',
  'chat.deleteText':
    'Die Nachricht von {name} verschwindet für alle, die sie sehen können, auch aus dem Verlauf für später Hinzukommende. Sie kann nicht wiederhergestellt werden.',
  'chat.deleteConfirm': 'Nachricht löschen',
  'chat.deleted': 'Nachricht gelöscht.',
  'chat.deleteFailed': 'Die Nachricht konnte nicht gelöscht werden.',
  'chat.rateLimited':
    'Sie senden zu schnell Nachrichten (höchstens 10 in 10 Sekunden). Warten Sie ein paar Sekunden und senden Sie dann erneut; Ihr Text bleibt erhalten.',
};
