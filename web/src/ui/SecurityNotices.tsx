import { useEffect, useState, useSyncExternalStore } from 'react';
import type { LobbyEntry, ParticipantReport } from '@konvent/protocol';
import { useI18n } from '../i18n/I18n.tsx';
import type { ModerationDesk } from '../media/ModerationDesk.ts';
import { Icon } from './Icons.tsx';
import { REASON_LABELS } from './reports/reportTexts.ts';

/**
 * Non-blocking banners about admission and reports. For moderators: someone new waits in the
 * lobby (one click opens the queue; hidden once nobody of them waits any more or the queue
 * is open) and a new report arrived (one click shows the open reports). For a reporter: a
 * moderator handled their report.
 */
export function SecurityNotices({
  desk,
  isModerator,
  lobbyOpen,
  nameOf,
  onOpenLobby,
  onOpenReports,
}: {
  desk: ModerationDesk;
  isModerator: boolean;
  /** Whether the waiting-room panel is open (then the arrival notice is not needed). */
  lobbyOpen: boolean;
  nameOf: (participantId: string) => string;
  onOpenLobby: () => void;
  onOpenReports: () => void;
}) {
  const { t } = useI18n();
  const snap = useSyncExternalStore(desk.subscribe, desk.getSnapshot);
  const [arrivals, setArrivals] = useState<readonly LobbyEntry[]>([]);
  const [report, setReport] = useState<ParticipantReport | null>(null);
  const [answered, setAnswered] = useState(false);

  useEffect(() => {
    const offArrived = desk.on('arrived', (entries) => {
      setArrivals((list) => [...list, ...entries]);
    });
    const offReported = desk.on('reported', setReport);
    const offAnswered = desk.on('reportAnswered', () => {
      setAnswered(true);
    });
    return () => {
      offArrived();
      offReported();
      offAnswered();
    };
  }, [desk]);

  useEffect(() => {
    // The panel shows them all now; a later arrival raises the notice again.
    if (lobbyOpen) setArrivals([]);
  }, [lobbyOpen]);

  const stillWaiting = arrivals.filter((a) => snap.waiting.some((w) => w.id === a.id));
  const openReport = report !== null && snap.reports.some((r) => r.id === report.id);
  const firstWaiting = stillWaiting[0];

  return (
    <>
      {isModerator && !lobbyOpen && firstWaiting !== undefined && (
        <div className="banner banner--info" role="status">
          <Icon name="door" />
          <span>
            {stillWaiting.length === 1
              ? t('lobby.notice.one', { name: firstWaiting.displayName })
              : t('lobby.notice.many', { count: stillWaiting.length })}
          </span>
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => {
              setArrivals([]);
              onOpenLobby();
            }}
          >
            {t('lobby.notice.open')}
          </button>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label={t('lobby.notice.dismiss')}
            onClick={() => {
              setArrivals([]);
            }}
          >
            <Icon name="close" />
          </button>
        </div>
      )}
      {isModerator && openReport && (
        <div className="banner banner--warning" role="status">
          <Icon name="flag" />
          <span>
            {t('reports.notice', {
              name: nameOf(report.targetId),
              reason: t(REASON_LABELS[report.reason]),
            })}
          </span>
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => {
              setReport(null);
              onOpenReports();
            }}
          >
            {t('reports.notice.open')}
          </button>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label={t('common.close')}
            onClick={() => {
              setReport(null);
            }}
          >
            <Icon name="close" />
          </button>
        </div>
      )}
      {answered && (
        <div className="banner banner--success" role="status">
          <Icon name="check" />
          <span>{t('reports.answered')}</span>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label={t('common.close')}
            onClick={() => {
              setAnswered(false);
            }}
          >
            <Icon name="close" />
          </button>
        </div>
      )}
    </>
  );
}
