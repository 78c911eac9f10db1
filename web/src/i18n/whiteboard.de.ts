import type { whiteboardEn } from './whiteboard.en.ts';

/** German strings of the whiteboard; typed against the English ones. */
export const whiteboardDe: Record<keyof typeof whiteboardEn, string> = {
  'board.button': 'Whiteboard',
  'board.open': 'Whiteboard öffnen',
  'board.close': 'Whiteboard schließen',
  'board.title': 'Whiteboard',
  'board.loading': 'Das Whiteboard wird geladen …',
  'board.loadError':
    'Das Whiteboard konnte nicht geladen werden. Schließen Sie es und versuchen Sie es erneut.',
  'board.viewOnly':
    'Sie können das Whiteboard ansehen. Die Moderation kann Ihnen das Zeichnen erlauben.',
  'board.refused': 'Ihre Zeichnung wurde nicht übernommen: {reason}',
  'board.dismiss': 'Schließen',
  'board.allow': 'Zeichnen erlauben',
  'board.revoke': 'Zeichnen beenden',
  'board.done.allow': '{name} darf jetzt auf dem Whiteboard zeichnen.',
  'board.done.revoke': '{name} darf nicht mehr auf dem Whiteboard zeichnen.',
};
