import type { annotationsEn } from './annotations.en.ts';

/** German strings of annotations on presentation pages; typed against the English ones. */
export const annotationsDe: Record<keyof typeof annotationsEn, string> = {
  'annotation.tools': 'Seite beschriften',
  'annotation.layer': 'Anmerkungen auf dieser Seite',
  'annotation.pen': 'Stift',
  'annotation.highlighter': 'Textmarker',
  'annotation.colour': 'Farbe: {colour}',
  'annotation.colour.red': 'Rot',
  'annotation.colour.blue': 'Blau',
  'annotation.colour.green': 'Grün',
  'annotation.colour.yellow': 'Gelb',
  'annotation.colour.black': 'Schwarz',
  'annotation.undo': 'Meinen letzten Strich zurücknehmen',
  'annotation.clear': 'Diese Seite leeren',
  'annotation.clearTitle': 'Diese Seite für alle leeren?',
  'annotation.clearText':
    'Alle Striche auf dieser Seite werden entfernt, auch die der anderen. Das lässt sich nicht rückgängig machen.',
  'annotation.refused': 'Ihre Anmerkung wurde nicht übernommen: {reason}',
  'annotation.dismiss': 'Schließen',
  'annotation.error.forbidden': 'Die Moderation hat Ihnen das Zeichnen nicht erlaubt.',
  'annotation.error.full': 'Auf dieser Seite ist kein Platz für weitere Anmerkungen.',
  'annotation.error.notShown': 'Die Seite wird nicht mehr gezeigt.',
};
