/**
 * English strings of presentations (upload control, the presentation stage). `en.ts`
 * spreads them in; `presentation.de.ts` must provide exactly the same keys.
 */
export const presentationEn = {
  'presentation.upload': 'Present PDF',
  'presentation.uploadLabel': 'Upload a presentation (PDF) and show it to everyone',
  'presentation.uploading': 'Uploading…',
  'presentation.stage': 'Presentation {name}',
  'presentation.pageOf': 'Page {page} of {pages}',
  'presentation.previous': 'Previous',
  'presentation.next': 'Next',
  'presentation.closeLabel': 'Stop presenting',
  'presentation.loadError': 'The presentation could not be loaded.',
  'presentation.dismiss': 'Dismiss',
  'presentation.error.type': 'Only PDF files can be presented.',
  'presentation.error.size': 'The PDF is too large: at most {max} MiB.',
  'presentation.error.pages': 'The PDF has {pages} pages: at most {max} can be presented.',
  'presentation.error.encrypted': 'The PDF is protected by a password; upload one without.',
  'presentation.error.unreadable': 'The PDF cannot be read; it may be damaged.',
  'presentation.error.refused':
    'The server refused the PDF: it may be damaged, encrypted or have more than {max} pages.',
  'presentation.error.full': 'This meeting already has {max} presentations, the most it keeps.',
  'presentation.error.forbidden': 'Only presenters and moderators may present.',
  'presentation.error.failed': 'The presentation could not be uploaded. Try again.',
  'presentation.again': 'Show again',
  'presentation.new': 'Upload a new PDF…',
  'presentation.pages': '{pages} pages',
} as const satisfies Record<string, string>;
