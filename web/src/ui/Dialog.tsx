import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';

/**
 * A modal dialog with a title and free content, in a native <dialog> (focus trap, Escape
 * and inert background come from the browser). Escape calls `onClose`; the owner decides
 * whether it may close now.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  wide = false,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={`${id}-title`}
      onKeyDown={(event) => {
        // Escape belongs to this dialog; the side panel around it must stay open.
        if (event.key === 'Escape') event.stopPropagation();
      }}
      onCancel={(event) => {
        // Answered here only: not by a dialog or side panel this one sits in.
        event.preventDefault();
        event.stopPropagation();
        onClose();
      }}
    >
      <h2 id={`${id}-title`} className="dialog__title">
        {title}
      </h2>
      {open && children}
    </dialog>
  );
}
