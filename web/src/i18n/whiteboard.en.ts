/**
 * English strings of the whiteboard: its toolbar button, the board, the note for people who
 * may only look, refusals and the moderators' "Allow drawing". `en.ts` spreads them in, and
 * `whiteboard.de.ts` must provide exactly the same keys.
 */
export const whiteboardEn = {
  'board.button': 'Whiteboard',
  'board.open': 'Open the whiteboard',
  'board.close': 'Close the whiteboard',
  'board.title': 'Whiteboard',
  'board.loading': 'Loading the whiteboard…',
  'board.loadError': 'The whiteboard could not be loaded. Close it and try again.',
  'board.viewOnly': 'You can look at the whiteboard. A moderator can allow you to draw.',
  'board.refused': 'Your drawing was not accepted: {reason}',
  'board.dismiss': 'Dismiss',
  'board.allow': 'Allow drawing',
  'board.revoke': 'Stop drawing',
  'board.done.allow': '{name} may draw on the whiteboard now.',
  'board.done.revoke': '{name} may no longer draw on the whiteboard.',
} as const;
