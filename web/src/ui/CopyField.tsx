import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { Icon } from './Icons.tsx';

/** A read-only link with a label, a hint and a copy button whose name says what it copies. */
export function CopyField({
  label,
  hint,
  value,
  copyLabel,
  tone = 'neutral',
}: {
  label: string;
  hint: string;
  value: string;
  copyLabel: string;
  tone?: 'neutral' | 'caution';
}) {
  const { t } = useI18n();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (status !== 'copied') return;
    const timer = setTimeout(() => {
      setStatus('idle');
    }, 4000);
    return () => {
      clearTimeout(timer);
    };
  }, [status]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('copied');
    } catch {
      // Clipboard access can be refused; select the text so Ctrl+C works.
      inputRef.current?.select();
      setStatus('failed');
    }
  };

  return (
    <div className={`copy-field copy-field--${tone}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <p id={`${id}-hint`} className="field-hint">
        {hint}
      </p>
      <div className="copy-field__row">
        <input
          ref={inputRef}
          id={id}
          className="input copy-field__input"
          type="text"
          readOnly
          value={value}
          aria-describedby={`${id}-hint`}
          spellCheck={false}
          onFocus={(event) => {
            event.currentTarget.select();
          }}
        />
        <button
          type="button"
          className="button button--secondary copy-field__button"
          aria-label={copyLabel}
          onClick={() => {
            void copy();
          }}
        >
          <Icon name={status === 'copied' ? 'check' : 'copy'} />
          <span>{t('common.copy')}</span>
        </button>
      </div>
      <p className="copy-field__status" role="status">
        {status === 'copied' && t('common.copied')}
        {status === 'failed' && t('common.copyFailed')}
      </p>
    </div>
  );
}
