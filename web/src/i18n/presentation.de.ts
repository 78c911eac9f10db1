import type { presentationEn } from './presentation.en.ts';

/** German strings of presentations; the same keys as `presentation.en.ts`. */
export const presentationDe: Record<keyof typeof presentationEn, string> = {
  'presentation.upload': 'PDF präsentieren',
  'presentation.uploadLabel': 'Eine Präsentation (PDF) hochladen und allen zeigen',
  'presentation.uploading': 'Wird hochgeladen …',
  'presentation.stage': 'Präsentation {name}',
  'presentation.pageOf': 'Seite {page} von {pages}',
  'presentation.previous': 'Zurück',
  'presentation.next': 'Weiter',
  'presentation.closeLabel': 'Präsentation beenden',
  'presentation.loadError': 'Die Präsentation konnte nicht geladen werden.',
  'presentation.dismiss': 'Schließen',
  'presentation.error.type': 'Nur PDF-Dateien können präsentiert werden.',
  'presentation.error.size': 'Das PDF ist zu groß: höchstens {max} MiB.',
  'presentation.error.pages':
    'Das PDF hat {pages} Seiten: höchstens {max} können präsentiert werden.',
  'presentation.error.encrypted':
    'Das PDF ist mit einem Passwort geschützt; bitte eines ohne hochladen.',
  'presentation.error.unreadable':
    'Das PDF kann nicht gelesen werden; es ist vielleicht beschädigt.',
  'presentation.error.refused':
    'Der Server hat das PDF abgelehnt: Es ist vielleicht beschädigt, verschlüsselt oder hat mehr als {max} Seiten.',
  'presentation.error.full':
    'Diese Besprechung hat schon {max} Präsentationen, mehr werden nicht gespeichert.',
  'presentation.error.forbidden': 'Nur Präsentator/innen und Moderator/innen dürfen präsentieren.',
  'presentation.error.failed':
    'Die Präsentation konnte nicht hochgeladen werden. Bitte erneut versuchen.',
  'presentation.again': 'Erneut zeigen',
  'presentation.new': 'Neue PDF hochladen…',
  'presentation.pages': '{pages} Seiten',
};
