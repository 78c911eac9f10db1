/**
 * Checks a client's Yjs update for the minutes before anything applies it: it must decode,
 * and may only add text (and formatting) to the one root text, never other roots, nested
 * types, sub-documents or binary/JSON content.
 */
import * as Y from 'yjs';
import { AppError } from '../errors/AppError.ts';

/** What an update may insert into the notes. */
const ALLOWED_CONTENT = [Y.ContentString, Y.ContentFormat, Y.ContentDeleted, Y.ContentEmbed];

/**
 * Refuses (`bad_request`) an update that does not decode as a v1 update, or whose new
 * items sit anywhere but directly in the root text `root` or carry other content.
 */
export function checkUpdate(update: Uint8Array, root: string): void {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    throw new AppError('bad_request', 'The notes update does not decode.');
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent: unknown = struct.parent;
    // null: the parent follows from the item's neighbours, which are checked themselves.
    const parentOk = parent === null || parent === root;
    const contentOk = ALLOWED_CONTENT.some((kind) => struct.content instanceof kind);
    if (!parentOk || struct.parentSub !== null || !contentOk)
      throw new AppError('bad_request', 'The update changes more than the notes text.');
  }
}
