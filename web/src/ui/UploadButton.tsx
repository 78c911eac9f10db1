import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { Icon, type IconName } from './Icons.tsx';

/** An earlier upload offered again: its id, name and a short detail (pages, length). */
export interface LibraryItem {
  id: string;
  name: string;
  detail: string;
}

/** Earlier uploads to show again instead of uploading them once more. */
export interface UploadLibrary {
  /** The heading above the earlier uploads ("Show again"). */
  heading: string;
  /** The entry that picks a new file ("Upload a new PDF…"). */
  newLabel: string;
  load: () => Promise<LibraryItem[]>;
  onPick: (id: string) => void;
}

/**
 * A toolbar control that picks one file and hands it on (presentations, shared media),
 * with a hidden file input (`data-<input>` marks it for tests) and, while `error` is set,
 * an alert above it that can be dismissed. With a `library`, the control first opens a
 * small menu: a new file, or one of the meeting's earlier uploads (shown again without
 * sending it twice). Escape or a click elsewhere closes the menu.
 */
export function UploadButton({
  icon,
  label,
  caption,
  accept,
  input,
  busy,
  error,
  library,
  onFile,
  onDismiss,
}: {
  icon: IconName;
  /** What the button does, for screen readers. */
  label: string;
  /** The short visible caption (e.g. "Uploading…" while busy). */
  caption: string;
  accept: string;
  /** The data attribute naming the hidden input. */
  input: 'data-presentation-input' | 'data-media-input';
  busy: boolean;
  error: string | null;
  library?: UploadLibrary;
  onFile: (file: File) => void;
  onDismiss: () => void;
}) {
  const { t } = useI18n();
  const picker = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const [items, setItems] = useState<LibraryItem[] | null>(null);
  const open = items !== null;
  /** Where the menu and the alert stand: fixed above the button, so the scrolling toolbar cannot clip them. */
  const [anchor, setAnchor] = useState<{ left: number; bottom: number } | null>(null);

  useLayoutEffect(() => {
    if (!open && error === null) return;
    const place = () => {
      const rect = trigger.current?.getBoundingClientRect();
      if (rect === undefined) return;
      const half = Math.min(180, window.innerWidth / 2 - 8);
      setAnchor({
        left: Math.min(
          Math.max(rect.left + rect.width / 2, half + 8),
          window.innerWidth - half - 8,
        ),
        bottom: window.innerHeight - rect.top + 8,
      });
    };
    place();
    window.addEventListener('resize', place);
    return () => {
      window.removeEventListener('resize', place);
    };
  }, [open, error]);
  const at = anchor === null ? undefined : { left: anchor.left, bottom: anchor.bottom };

  useEffect(() => {
    if (!open) return;
    const away = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) setItems(null);
    };
    document.addEventListener('pointerdown', away);
    return () => {
      document.removeEventListener('pointerdown', away);
    };
  }, [open]);

  const click = () => {
    if (library === undefined) {
      picker.current?.click();
      return;
    }
    if (open) {
      setItems(null);
      return;
    }
    setItems([]);
    // The menu opens at once with "new file"; earlier uploads join it when they arrive.
    library.load().then(
      (loaded) => {
        setItems((current) => (current === null ? null : loaded));
      },
      () => undefined,
    );
  };

  return (
    <div
      ref={box}
      className="presentation-upload"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          setItems(null);
          event.stopPropagation();
        }
      }}
    >
      <input
        ref={picker}
        type="file"
        accept={accept}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        {...{ [input]: '' }}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) onFile(file);
        }}
      />
      <button
        ref={trigger}
        type="button"
        className="control"
        aria-label={label}
        aria-expanded={library === undefined ? undefined : open}
        disabled={busy}
        onClick={click}
      >
        <span className="control__icon">
          <Icon name={icon} />
        </span>
        <span className="control__caption" aria-hidden="true">
          {caption}
        </span>
      </button>
      {open && library !== undefined && (
        <div className="upload-library" role="group" aria-label={label} style={at}>
          <button
            type="button"
            className="upload-library__item"
            onClick={() => {
              setItems(null);
              picker.current?.click();
            }}
          >
            <Icon name="plus" />
            <span>{library.newLabel}</span>
          </button>
          {items.length > 0 && (
            <>
              <p className="upload-library__heading">{library.heading}</p>
              <ul className="upload-library__list">
                {items.map((item) => (
                  <li key={item.id}>
                    <button
                      type="button"
                      className="upload-library__item"
                      onClick={() => {
                        setItems(null);
                        library.onPick(item.id);
                      }}
                    >
                      <span className="upload-library__name">{item.name}</span>
                      <span className="upload-library__detail">{item.detail}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {error !== null && (
        <p className="presentation-upload__error" role="alert" style={at}>
          <span>{error}</span>
          <button
            type="button"
            className="presentation-upload__dismiss"
            aria-label={t('presentation.dismiss')}
            onClick={onDismiss}
          >
            <Icon name="close" />
          </button>
        </p>
      )}
    </div>
  );
}
