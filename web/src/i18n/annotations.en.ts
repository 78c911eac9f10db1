/**
 * English strings of annotations on presentation pages (the drawing tools under the page
 * and refusals). `en.ts` spreads them in; `annotations.de.ts` must provide the same keys.
 */
export const annotationsEn = {
  'annotation.tools': 'Annotate the page',
  'annotation.layer': 'Annotations on this page',
  'annotation.pen': 'Pen',
  'annotation.highlighter': 'Highlighter',
  'annotation.colour': 'Colour: {colour}',
  'annotation.colour.red': 'red',
  'annotation.colour.blue': 'blue',
  'annotation.colour.green': 'green',
  'annotation.colour.yellow': 'yellow',
  'annotation.colour.black': 'black',
  'annotation.undo': 'Undo my last stroke',
  'annotation.clear': 'Clear this page',
  'annotation.clearTitle': 'Clear this page for everyone?',
  'annotation.clearText':
    'Every stroke on this page goes, those of others too. This cannot be undone.',
  'annotation.refused': 'Your annotation was not accepted: {reason}',
  'annotation.dismiss': 'Dismiss',
  'annotation.error.forbidden': 'A moderator has not allowed you to draw.',
  'annotation.error.full': 'This page holds no more annotations.',
  'annotation.error.notShown': 'The page is no longer shown.',
} as const;
