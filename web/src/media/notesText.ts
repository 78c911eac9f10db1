/**
 * Pure helpers of the minutes' notes editor (no DOM, no Yjs): base64 for Yjs updates, the
 * textarea diff that becomes Y.Text inserts and deletes, and keeping a caret in place when
 * someone else's edit arrives.
 */

/** One change between two texts: at `index`, `remove` UTF-16 units go and `insert` comes. */
export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

/** A Y.Text delta entry (the shape of `YTextEvent.delta`). */
export interface DeltaOp {
  insert?: unknown;
  retain?: number;
  delete?: number;
}

const BASE64_CHUNK = 0x8000;

/** Encodes bytes as standard base64 (large arrays in chunks, no argument-count limits). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += BASE64_CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + BASE64_CHUNK));
  }
  return btoa(binary);
}

/** Decodes standard base64 (throws on anything else). */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The one contiguous change that turns `before` into `after`, or null when they are equal.
 * `caret` (where the caret is in `after`, if known) anchors an ambiguous change: typing
 * "a" into "a|a" is an insert at the caret, not at the start. A change never splits a
 * surrogate pair.
 */
export function diffText(before: string, after: string, caret?: number): TextChange | null {
  if (before === after) return null;
  const shortest = Math.min(before.length, after.length);
  // The change ends at the caret or later: the text after the caret is unchanged suffix at most.
  const suffixLimit =
    caret === undefined ? shortest : Math.min(shortest, Math.max(0, after.length - caret));
  let suffix = 0;
  while (
    suffix < suffixLimit &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  let prefix = 0;
  const prefixLimit = shortest - suffix;
  while (prefix < prefixLimit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    index: prefix,
    remove: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

/** Splits text into pieces of at most `size` UTF-16 units, never inside a surrogate pair. */
export function chunkText(text: string, size: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length && end - start > 1 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

/**
 * Where a position in the old text is after a change described by a Y.Text delta: text
 * inserted or deleted before it moves it; an insert exactly at it leaves it before the
 * new text (someone else's typing does not push my caret along).
 */
export function transformIndex(index: number, delta: readonly DeltaOp[]): number {
  let oldPos = 0;
  let shift = 0;
  for (const op of delta) {
    if (oldPos >= index) break;
    if (op.retain !== undefined) {
      oldPos += op.retain;
    } else if (op.insert !== undefined) {
      shift += typeof op.insert === 'string' ? op.insert.length : 1;
    } else if (op.delete !== undefined) {
      shift -= Math.min(op.delete, index - oldPos);
      oldPos += op.delete;
    }
  }
  return Math.max(0, index + shift);
}
