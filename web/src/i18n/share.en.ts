/**
 * English strings of screen sharing (toolbar button, screen tiles, requests to share and the
 * moderators' share commands). `en.ts` spreads them in; `share.de.ts` must provide exactly
 * the same keys.
 */
export const shareEn = {
  'share.start': 'Share screen',
  'share.startLabel': 'Share your screen, a window or a tab',
  'share.stop': 'Stop sharing',
  'share.stopLabel': 'Stop sharing your screen',
  'share.ask': 'Ask to share',
  'share.askLabel': 'Ask the moderators to let you share your screen',
  'share.asked': 'Asked',
  'share.askedLabel': 'You asked to share your screen; a moderator decides',
  'share.askSent': 'Your request to share your screen was sent to the moderators.',
  'share.locked': 'Locked',
  'share.lockedLabel': 'Screen sharing locked by a moderator',
  'share.tile': '{name}’s screen',
  'share.tileSelf': 'Your screen',
  'share.screens': 'Shared screens',
  'share.error': 'Your screen could not be shared.',
  'share.stoppedByModerator': 'A moderator stopped your screen share.',
  'share.request.notice': '{name} asks to share their screen.',
  'share.request.allow': 'Allow',
  'share.request.decline': 'Decline',
  'share.request.declineLabel': 'Decline {name}’s request to share their screen',
  'share.request.allowLabel': 'Allow {name} to share their screen',
  'share.allow': 'Allow screen sharing',
  'share.revoke': 'Revoke screen sharing',
  'share.stopOther': 'Stop screen share',
  'share.done.allow': '{name} may now share their screen.',
  'share.done.revoke': '{name} may no longer share their screen.',
  'share.done.stop': 'The screen share of {name} has been stopped.',
  'share.sharing': 'Sharing their screen',
} as const satisfies Record<string, string>;
