import { useI18n } from '../../i18n/I18n.tsx';
import { Icon } from '../Icons.tsx';

/** The export route of a meeting's minutes, headings in `lang` (the server checks who may read them). */
export function exportHref(meetingId: string, format: 'md' | 'pdf', lang: string): string {
  const path = `/api/meetings/${encodeURIComponent(meetingId)}/minutes/export?format=${format}`;
  return lang === 'de' ? `${path}&lang=de` : path;
}

/**
 * "Markdown" and "PDF" download links for a meeting's minutes. Plain links: the browser
 * sends the meeting cookie (participants) or the session cookie (signed-in accounts).
 */
export function ExportLinks({
  meetingId,
  title,
  hint,
}: {
  meetingId: string;
  title?: string;
  hint?: string;
}) {
  const { t, lang } = useI18n();
  return (
    <div className="minutes-export" role="group" aria-label={title ?? t('minutes.export.label')}>
      <span className="minutes-export__label" aria-hidden="true">
        {title ?? t('minutes.export.label')}
      </span>
      <a
        className="button button--small button--secondary"
        href={exportHref(meetingId, 'md', lang)}
        download
      >
        <Icon name="download" />
        {t('minutes.export.md')}
      </a>
      <a
        className="button button--small button--secondary"
        href={exportHref(meetingId, 'pdf', lang)}
        download
      >
        <Icon name="download" />
        {t('minutes.export.pdf')}
      </a>
      {hint !== undefined && <p className="minutes-export__hint">{hint}</p>}
    </div>
  );
}
