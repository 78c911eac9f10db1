import { MAX_PRESENTATION_NAME } from '@konvent/protocol';

/**
 * An uploaded file's name as shown to everyone: the last path segment, no control
 * characters, at most `MAX_PRESENTATION_NAME` characters; a missing one becomes `fallback`.
 */
export function cleanUploadName(fileName: string | undefined, fallback: string): string {
  const base = (fileName ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, MAX_PRESENTATION_NAME);
  return clean === '' ? fallback : clean;
}
