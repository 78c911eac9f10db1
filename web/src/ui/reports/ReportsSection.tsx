import { useRef, useState } from 'react';
import type { ParticipantReport, ReportAnswer } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { apiErrorKey } from '../errorMessage.ts';
import { Icon } from '../Icons.tsx';
import { Notice } from '../Notice.tsx';
import { ANSWER_DONE, REASON_LABELS } from './reportTexts.ts';

/**
 * Open reports for moderators, oldest first: who reported whom, why, their words (as plain
 * text) and when, with Dismiss, Mute, Remove and Ban. Removing and banning ask first, as
 * they do from the participant list. A handled report disappears for every moderator.
 */
export function ReportsSection({
  reports,
  nameOf,
  onAnswer,
  headingId,
}: {
  reports: readonly ParticipantReport[];
  /** The display name of a participant id, or a placeholder for someone who left. */
  nameOf: (participantId: string) => string;
  onAnswer: (reportId: string, answer: ReportAnswer) => Promise<void>;
  /** The heading's id, so a notice can move focus here. */
  headingId: string;
}) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [confirm, setConfirm] = useState<{ report: ParticipantReport; ban: boolean } | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const time = new Intl.DateTimeFormat(lang, { timeStyle: 'short' });

  const answer = (report: ParticipantReport, how: ReportAnswer): Promise<void> => {
    setError(null);
    const name = nameOf(report.targetId);
    return onAnswer(report.id, how).then(() => {
      setAnnouncement(t(ANSWER_DONE[how], { name }));
      // The report (and the button that had focus) is gone; keep focus in this section.
      requestAnimationFrame(() => headingRef.current?.focus());
    });
  };

  const run = (report: ParticipantReport, how: ReportAnswer) => {
    answer(report, how).catch((failure: unknown) => {
      setError(t(apiErrorKey(failure)));
    });
  };

  const confirmName = confirm ? nameOf(confirm.report.targetId) : '';
  return (
    <section className="reports" aria-labelledby={headingId}>
      <h3 id={headingId} className="reports__heading" tabIndex={-1} ref={headingRef}>
        <Icon name="flag" />
        {t('reports.heading', { count: reports.length })}
      </h3>
      {error !== null && <Notice tone="error">{error}</Notice>}
      <ul className="reports__list">
        {reports.map((report) => {
          const target = nameOf(report.targetId);
          return (
            <li key={report.id} className="report">
              <p className="report__who">
                {t('reports.about', { target, reporter: nameOf(report.reporterId) })}
              </p>
              <p className="report__meta">
                <span className="pill pill--invited">{t(REASON_LABELS[report.reason])}</span>
                <time dateTime={report.reportedAt}>{time.format(new Date(report.reportedAt))}</time>
              </p>
              {report.text !== undefined && report.text !== '' && (
                <blockquote className="report__text">{report.text}</blockquote>
              )}
              <div className="report__actions">
                <button
                  type="button"
                  className="button button--small button--secondary"
                  aria-label={t('reports.dismissLabel', { name: target })}
                  onClick={() => {
                    run(report, 'dismiss');
                  }}
                >
                  {t('reports.dismiss')}
                </button>
                <button
                  type="button"
                  className="button button--small button--secondary"
                  aria-label={t('reports.muteLabel', { name: target })}
                  onClick={() => {
                    run(report, 'mute');
                  }}
                >
                  <Icon name="micOff" />
                  {t('moderation.mute')}
                </button>
                <button
                  type="button"
                  className="button button--small button--danger-outline"
                  aria-label={t('reports.removeLabel', { name: target })}
                  onClick={() => {
                    setConfirmError(null);
                    setConfirm({ report, ban: false });
                  }}
                >
                  {t('moderation.remove')}
                </button>
                <button
                  type="button"
                  className="button button--small button--danger-outline"
                  aria-label={t('reports.banLabel', { name: target })}
                  onClick={() => {
                    setConfirmError(null);
                    setConfirm({ report, ban: true });
                  }}
                >
                  <Icon name="ban" />
                  {t('moderation.removeAndBan')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <ConfirmDialog
        open={confirm !== null}
        title={t(confirm?.ban === true ? 'moderation.ban.title' : 'moderation.remove.title', {
          name: confirmName,
        })}
        text={t(confirm?.ban === true ? 'moderation.ban.text' : 'moderation.remove.text', {
          name: confirmName,
        })}
        confirmLabel={t(confirm?.ban === true ? 'moderation.removeAndBan' : 'moderation.remove')}
        cancelLabel={t('moderation.cancel')}
        error={confirmError}
        onCancel={() => {
          setConfirm(null);
        }}
        onConfirm={() => {
          if (confirm === null) return;
          answer(confirm.report, confirm.ban ? 'ban' : 'remove').then(
            () => {
              setConfirm(null);
            },
            (failure: unknown) => {
              setConfirmError(t(apiErrorKey(failure)));
            },
          );
        }}
      />
    </section>
  );
}
