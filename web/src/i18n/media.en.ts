/**
 * English strings of shared media (upload control, the player stage). `en.ts` spreads them
 * in; `media.de.ts` must provide exactly the same keys.
 */
export const mediaEn = {
  'media.upload': 'Play video',
  'media.uploadLabel': 'Upload an audio or video file and play it for everyone',
  'media.uploading': 'Uploading…',
  'media.stage': 'Shared media {name}',
  'media.play': 'Play for everyone',
  'media.pause': 'Pause for everyone',
  'media.seek': 'Position',
  'media.time': '{at} of {total}',
  'media.closeLabel': 'Stop sharing the media',
  'media.volume': 'Volume (only for you)',
  'media.startHere': 'Click to play along',
  'media.presentedBy': 'Played by {name}',
  'media.paused': 'Paused',
  'media.loadError': 'The media could not be loaded.',
  'media.error.type': 'Only audio and video files can be played.',
  'media.error.size': 'The file is too large: at most {max} MiB.',
  'media.error.refused':
    'The server refused the file: {reason} Playable are WebM (VP8, VP9, AV1, Opus), MP4 (H.264, AAC), Ogg, MP3, WAV and FLAC.',
  'media.error.full': 'This meeting already has {max} media files, the most it keeps.',
  'media.error.forbidden': 'Only presenters and moderators may play media.',
  'media.error.busy': 'Other uploads are running; try again in a moment.',
  'media.error.failed': 'The file could not be uploaded. Try again.',
  'media.again': 'Play again',
  'media.new': 'Upload a new file…',
} as const satisfies Record<string, string>;
