import type { mediaEn } from './media.en.ts';

/** German strings of shared media; typed against the English ones. */
export const mediaDe: Record<keyof typeof mediaEn, string> = {
  'media.upload': 'Video abspielen',
  'media.uploadLabel': 'Eine Audio- oder Videodatei hochladen und für alle abspielen',
  'media.uploading': 'Wird hochgeladen…',
  'media.stage': 'Geteilte Medien {name}',
  'media.play': 'Für alle abspielen',
  'media.pause': 'Für alle anhalten',
  'media.seek': 'Position',
  'media.time': '{at} von {total}',
  'media.closeLabel': 'Medien nicht mehr teilen',
  'media.volume': 'Lautstärke (nur für Sie)',
  'media.startHere': 'Zum Mitschauen klicken',
  'media.presentedBy': 'Abgespielt von {name}',
  'media.paused': 'Angehalten',
  'media.loadError': 'Die Mediendatei konnte nicht geladen werden.',
  'media.error.type': 'Nur Audio- und Videodateien können abgespielt werden.',
  'media.error.size': 'Die Datei ist zu groß: höchstens {max} MiB.',
  'media.error.refused':
    'Der Server hat die Datei abgelehnt: {reason} Abspielbar sind WebM (VP8, VP9, AV1, Opus), MP4 (H.264, AAC), Ogg, MP3, WAV und FLAC.',
  'media.error.full':
    'Diese Besprechung hat bereits {max} Mediendateien, mehr werden nicht gespeichert.',
  'media.error.forbidden': 'Nur Vortragende und Moderierende dürfen Medien abspielen.',
  'media.error.busy': 'Andere Uploads laufen gerade; versuchen Sie es gleich noch einmal.',
  'media.error.failed': 'Die Datei konnte nicht hochgeladen werden. Bitte erneut versuchen.',
  'media.again': 'Erneut abspielen',
  'media.new': 'Neue Datei hochladen…',
} as const;
