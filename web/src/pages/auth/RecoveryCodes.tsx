import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n/I18n.tsx';
import { Icon } from '../../ui/Icons.tsx';

/**
 * New recovery codes, shown exactly once (the server keeps only their hashes): copy or
 * download them, then confirm "I have saved them" to go on.
 */
export function RecoveryCodes({
  codes,
  onDone,
  doneLabel,
}: {
  codes: readonly string[];
  onDone: () => void;
  doneLabel?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const heading = useRef<HTMLHeadingElement>(null);
  const text = codes.join('\n');

  useEffect(() => {
    // Screen reader and keyboard users land on what must be saved now.
    heading.current?.focus();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'konvent-recovery-codes.txt';
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 1000);
  };

  return (
    <section className="recovery" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="recovery__heading" tabIndex={-1} ref={heading}>
        <Icon name="key" />
        {t('recovery.heading')}
      </h2>
      <p className="recovery__text">{t('recovery.text')}</p>
      <ol className="recovery__codes" aria-label={t('recovery.list')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="button-row button-row--tight">
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => {
            void copy();
          }}
        >
          <Icon name={copied === 'copied' ? 'check' : 'copy'} />
          {t('recovery.copy')}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={download}>
          <Icon name="download" />
          {t('recovery.download')}
        </button>
      </div>
      <p className="copy-field__status" role="status">
        {copied === 'copied' && t('common.copied')}
        {copied === 'failed' && t('recovery.copyFailed')}
      </p>
      <label className="checkbox recovery__confirm">
        <input
          type="checkbox"
          checked={saved}
          onChange={(event) => {
            setSaved(event.target.checked);
          }}
        />
        <span>{t('recovery.saved')}</span>
      </label>
      <button
        type="button"
        className="button button--primary button--block"
        disabled={!saved}
        onClick={onDone}
      >
        {doneLabel ?? t('recovery.continue')}
      </button>
    </section>
  );
}
