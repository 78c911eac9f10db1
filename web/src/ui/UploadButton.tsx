import { useRef } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { Icon, type IconName } from './Icons.tsx';

/**
 * A toolbar control that picks one file and hands it on (presentations, shared media),
 * with a hidden file input (`data-<input>` marks it for tests) and, while `error` is set,
 * an alert above it that can be dismissed.
 */
export function UploadButton({
  icon,
  label,
  caption,
  accept,
  input,
  busy,
  error,
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
  onFile: (file: File) => void;
  onDismiss: () => void;
}) {
  const { t } = useI18n();
  const picker = useRef<HTMLInputElement>(null);
  return (
    <div className="presentation-upload">
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
        type="button"
        className="control"
        aria-label={label}
        disabled={busy}
        onClick={() => {
          picker.current?.click();
        }}
      >
        <span className="control__icon">
          <Icon name={icon} />
        </span>
        <span className="control__caption" aria-hidden="true">
          {caption}
        </span>
      </button>
      {error !== null && (
        <p className="presentation-upload__error" role="alert">
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
