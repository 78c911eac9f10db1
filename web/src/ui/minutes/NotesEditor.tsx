import { useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import { chunkText, diffText, transformIndex } from '../../media/notesText.ts';
import type { DeltaOp } from '../../media/notesText.ts';

/** Largest insert per transaction, so one paste never makes an update over the frame limit. */
const INSERT_CHUNK = 8000;
/** Marks my own transactions, so the observer does not write them back into the textarea. */
const LOCAL = Symbol('notes-editor');

/**
 * The notes as a plain textarea bound to a Y.Text: every input becomes the one insert and
 * delete that turn the old text into the new (anchored at the caret), and edits from
 * others are written in with my caret and selection moved along. While an input method
 * composes, others' edits wait until it is done. Read-only for those who may not edit.
 */
export function NotesEditor({
  id,
  doc,
  readOnly,
  label,
  describedBy,
  placeholder,
}: {
  id?: string;
  doc: Y.Doc;
  readOnly: boolean;
  label: string;
  describedBy?: string | undefined;
  placeholder?: string | undefined;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const composing = useRef(false);

  useEffect(() => {
    const area = ref.current;
    if (!area) return;
    const text = doc.getText('notes');
    area.value = text.toJSON();
    const observer = (event: Y.YTextEvent, transaction: Y.Transaction) => {
      if (transaction.origin === LOCAL || composing.current) return;
      const delta = event.delta as DeltaOp[];
      const focused = document.activeElement === area;
      const start = transformIndex(area.selectionStart, delta);
      const end = transformIndex(area.selectionEnd, delta);
      const scroll = area.scrollTop;
      area.value = text.toJSON();
      if (focused) area.setSelectionRange(start, end, area.selectionDirection);
      area.scrollTop = scroll;
    };
    text.observe(observer);

    const sync = () => {
      const before = text.toJSON();
      const after = area.value;
      const change = diffText(before, after, area.selectionEnd);
      if (change === null) return;
      if (change.remove > 0) {
        doc.transact(() => {
          text.delete(change.index, change.remove);
        }, LOCAL);
      }
      let at = change.index;
      for (const piece of chunkText(change.insert, INSERT_CHUNK)) {
        doc.transact(() => {
          text.insert(at, piece);
        }, LOCAL);
        at += piece.length;
      }
    };
    const onInput = () => {
      if (!composing.current) sync();
    };
    const onCompositionStart = () => {
      composing.current = true;
    };
    const onCompositionEnd = () => {
      composing.current = false;
      // Others' edits that waited: take mine in, then show the document as it is now.
      sync();
      if (area.value !== text.toJSON()) {
        const caret = area.selectionEnd;
        area.value = text.toJSON();
        area.setSelectionRange(caret, caret);
      }
    };
    area.addEventListener('input', onInput);
    area.addEventListener('compositionstart', onCompositionStart);
    area.addEventListener('compositionend', onCompositionEnd);
    return () => {
      text.unobserve(observer);
      area.removeEventListener('input', onInput);
      area.removeEventListener('compositionstart', onCompositionStart);
      area.removeEventListener('compositionend', onCompositionEnd);
    };
  }, [doc]);

  return (
    <textarea
      ref={ref}
      id={id}
      className="input minutes-notes"
      aria-label={label}
      aria-describedby={describedBy}
      placeholder={placeholder}
      readOnly={readOnly}
      spellCheck
      rows={10}
    />
  );
}
