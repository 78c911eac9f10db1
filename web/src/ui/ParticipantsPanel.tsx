import { useRef, useState } from 'react';
import type {
  AssignableRole,
  MeetingLocks,
  MeetingRole,
  Participant,
  ParticipantReport,
  ReportReason,
} from '@konvent/protocol';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import type { ModerationDesk } from '../media/ModerationDesk.ts';
import { ActionsMenu } from './ActionsMenu.tsx';
import type { MenuAction } from './ActionsMenu.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { apiErrorKey } from './errorMessage.ts';
import { Icon } from './Icons.tsx';
import { LockSettingsDialog } from './LockSettingsDialog.tsx';
import { avatarSlot, initials } from './initials.ts';
import { Notice } from './Notice.tsx';
import { ReportDialog } from './reports/ReportDialog.tsx';
import { ReportsSection } from './reports/ReportsSection.tsx';

/** The moderator commands the list offers; the server checks the right on every one. */
export type ModerationCommands = Pick<
  ModerationDesk,
  | 'muteParticipant'
  | 'muteAll'
  | 'stopCamera'
  | 'removeParticipant'
  | 'setRole'
  | 'setLocks'
  | 'answerReport'
  | 'allowShare'
  | 'stopShare'
>;

/** The id of the open reports' heading, which the "new report" notice moves focus to. */
export const REPORTS_HEADING_ID = 'open-reports-heading';

const ROLE_LABELS: Record<MeetingRole, MessageKey> = {
  moderator: 'role.moderator',
  presenter: 'role.presenter',
  participant: 'role.participant',
  guest: 'role.guest',
};

// Moderators first, then presenters: the people to ask are easy to find.
const ROLE_ORDER: Record<MeetingRole, number> = {
  moderator: 0,
  presenter: 1,
  participant: 2,
  guest: 3,
};

const ROLE_ACTIONS: readonly {
  role: AssignableRole;
  label: MessageKey;
  icon: MenuAction['icon'];
}[] = [
  { role: 'presenter', label: 'moderation.makePresenter', icon: 'present' },
  { role: 'moderator', label: 'moderation.makeModerator', icon: 'shield' },
  { role: 'participant', label: 'moderation.makeParticipant', icon: 'user' },
];

/**
 * The participant list: name, role, presence and microphone/camera state of everyone, and
 * on every other person a button to report them to the moderators. A moderator
 * (`moderation` given) also gets the open reports above the list, "Mute all" and, on every
 * other person, a menu with mute, stop camera, role changes, remove (with or without a ban)
 * and report, each one or two clicks away; removing asks first. "Locks" opens the lock settings (`locks` is the
 * meeting's current state).
 */
export function ParticipantsPanel({
  self,
  others,
  selfMicOn,
  selfCamOn,
  moderation = null,
  locks,
  reports = [],
  onReport,
  drawing = null,
  minutes = null,
}: {
  self: Participant;
  others: readonly Participant[];
  selfMicOn: boolean;
  selfCamOn: boolean;
  moderation?: ModerationCommands | null;
  locks: MeetingLocks;
  /** Open reports (moderators only). */
  reports?: readonly ParticipantReport[];
  /** Sends a report about another participant to the moderators. */
  onReport: (participantId: string, reason: ReportReason, text: string) => Promise<unknown>;
  /** Moderators: who was allowed to draw on the whiteboard, and granting or revoking it. */
  drawing?: {
    drawers: ReadonlySet<string>;
    commands: { allow: (participantId: string, allowed: boolean) => Promise<void> };
  } | null;
  /** Who takes the minutes (a badge); moderators also get appoint and release. */
  minutes?: {
    takers: ReadonlySet<string>;
    commands: { appoint: (participantId: string, taker: boolean) => Promise<void> } | null;
  } | null;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [removal, setRemoval] = useState<{ participant: Participant; ban: boolean } | null>(null);
  const [removalError, setRemovalError] = useState<string | null>(null);
  const [locksOpen, setLocksOpen] = useState(false);
  const [reportTarget, setReportTarget] = useState<Participant | null>(null);
  const [reported, setReported] = useState<string | null>(null);
  const muteAllRef = useRef<HTMLButtonElement>(null);
  const locksRef = useRef<HTMLButtonElement>(null);
  const lockedCount = Object.values(locks).filter(Boolean).length;
  const listRef = useRef<HTMLUListElement>(null);

  const sorted = [...others].sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.displayName.localeCompare(b.displayName),
  );
  const rows = [
    { participant: self, isSelf: true, mic: selfMicOn, cam: selfCamOn },
    ...sorted.map((p) => ({ participant: p, isSelf: false, mic: p.microphone, cam: p.camera })),
  ];

  /** Runs a command; on success announces `done`, on failure shows the server's reason. */
  const run = (command: () => Promise<void>, done: string): void => {
    setError(null);
    command().then(
      () => {
        setAnnouncement(done);
      },
      (failure: unknown) => {
        setError(t(apiErrorKey(failure)));
      },
    );
  };

  const reportAction = (p: Participant): MenuAction => ({
    id: 'report',
    label: t('reports.action'),
    icon: 'flag',
    onSelect: () => {
      setReported(null);
      setReportTarget(p);
    },
  });

  const nameOf = (id: string): string =>
    id === self.id
      ? self.displayName
      : (others.find((p) => p.id === id)?.displayName ?? t('chat.unknownPerson'));

  const actionsFor = (commands: ModerationCommands, p: Participant): MenuAction[] => {
    const name = p.displayName;
    const actions: MenuAction[] = [];
    if (p.microphone) {
      actions.push({
        id: 'mute',
        label: t('moderation.mute'),
        icon: 'micOff',
        onSelect: () => {
          run(() => commands.muteParticipant(p.id), t('moderation.done.mute', { name }));
        },
      });
    }
    if (p.camera) {
      actions.push({
        id: 'stopCamera',
        label: t('moderation.stopCamera'),
        icon: 'cameraOff',
        onSelect: () => {
          run(() => commands.stopCamera(p.id), t('moderation.done.stopCamera', { name }));
        },
      });
    }
    if (p.screen) {
      actions.push({
        id: 'stopShare',
        label: t('share.stopOther'),
        icon: 'screenOff',
        onSelect: () => {
          run(() => commands.stopShare(p.id), t('share.done.stop', { name }));
        },
      });
    }
    // Moderators and presenters share by their role; the right is for everyone else.
    if (p.role === 'participant' || p.role === 'guest') {
      const allowed = !p.mayShare;
      actions.push({
        id: allowed ? 'allowShare' : 'revokeShare',
        label: t(allowed ? 'share.allow' : 'share.revoke'),
        icon: allowed ? 'screen' : 'screenOff',
        onSelect: () => {
          run(
            () => commands.allowShare(p.id, allowed),
            t(allowed ? 'share.done.allow' : 'share.done.revoke', { name }),
          );
        },
      });
    }
    // Moderators and presenters draw by their role, like sharing.
    if (drawing && (p.role === 'participant' || p.role === 'guest')) {
      const allowed = !drawing.drawers.has(p.id);
      actions.push({
        id: allowed ? 'allowDraw' : 'revokeDraw',
        label: t(allowed ? 'board.allow' : 'board.revoke'),
        icon: allowed ? 'pen' : 'close',
        onSelect: () => {
          run(
            () => drawing.commands.allow(p.id, allowed),
            t(allowed ? 'board.done.allow' : 'board.done.revoke', { name }),
          );
        },
      });
    }
    // Moderators write the minutes by their role; everyone else can be appointed.
    const taking = minutes?.commands;
    if (taking && p.role !== 'moderator') {
      const appoint = !minutes.takers.has(p.id);
      actions.push({
        id: appoint ? 'appointTaker' : 'releaseTaker',
        label: t(appoint ? 'minutes.appoint' : 'minutes.release'),
        icon: appoint ? 'notes' : 'close',
        onSelect: () => {
          run(
            () => taking.appoint(p.id, appoint),
            t(appoint ? 'minutes.done.appoint' : 'minutes.done.release', { name }),
          );
        },
      });
    }
    for (const { role, label, icon } of ROLE_ACTIONS) {
      if (p.role === role) continue;
      actions.push({
        id: `role-${role}`,
        label: t(label),
        icon,
        onSelect: () => {
          run(
            () => commands.setRole(p.id, role),
            t('moderation.done.role', { name, role: t(ROLE_LABELS[role]) }),
          );
        },
      });
    }
    for (const ban of [false, true]) {
      actions.push({
        id: ban ? 'ban' : 'remove',
        label: t(ban ? 'moderation.removeAndBan' : 'moderation.remove'),
        icon: ban ? 'ban' : 'leave',
        danger: true,
        onSelect: () => {
          setError(null);
          setRemovalError(null);
          setRemoval({ participant: p, ban });
        },
      });
    }
    actions.push(reportAction(p));
    return actions;
  };

  const confirmRemoval = () => {
    if (!moderation || !removal) return;
    const { participant, ban } = removal;
    moderation.removeParticipant(participant.id, ban).then(
      () => {
        setRemoval(null);
        setAnnouncement(t('moderation.done.remove', { name: participant.displayName }));
        // The row whose menu had focus is gone; keep focus in the list instead of the page.
        requestAnimationFrame(() => {
          (muteAllRef.current ?? listRef.current)?.focus();
        });
      },
      (failure: unknown) => {
        setRemovalError(t(apiErrorKey(failure)));
      },
    );
  };

  const removalName = removal?.participant.displayName ?? '';
  // Someone who left while the question was open needs no removing any more.
  const removalOpen = removal !== null && others.some((p) => p.id === removal.participant.id);
  return (
    <div className="side-panel__body">
      <div className="people__toolbar">
        <p className="side-panel__meta">{t('meeting.count', { count: rows.length })}</p>
        {moderation && (
          <span className="people__toolbar-actions">
            <button
              ref={locksRef}
              type="button"
              className="button button--small button--secondary"
              aria-label={t('locks.openLabel')}
              aria-haspopup="dialog"
              onClick={() => {
                setLocksOpen(true);
              }}
            >
              <Icon name="lock" />
              {lockedCount > 0 ? t('locks.active', { count: lockedCount }) : t('locks.open')}
            </button>
            {others.length > 0 && (
              <button
                ref={muteAllRef}
                type="button"
                className="button button--small button--secondary"
                aria-label={t('moderation.muteAllLabel')}
                onClick={() => {
                  run(() => moderation.muteAll(), t('moderation.done.muteAll'));
                }}
              >
                <Icon name="micOff" />
                {t('moderation.muteAll')}
              </button>
            )}
          </span>
        )}
      </div>
      {error !== null && (
        <Notice tone="error" className="people__notice">
          {error}
        </Notice>
      )}
      {reported !== null && (
        <Notice tone="success" className="people__notice">
          {t('reports.sent', { name: reported })}
        </Notice>
      )}
      {moderation && reports.length > 0 && (
        <ReportsSection
          reports={reports}
          nameOf={nameOf}
          onAnswer={(reportId, answer) => moderation.answerReport(reportId, answer)}
          headingId={REPORTS_HEADING_ID}
        />
      )}
      <ul ref={listRef} className="people" aria-label={t('meeting.participants')} tabIndex={-1}>
        {rows.map(({ participant, isSelf, mic, cam }) => (
          <li key={participant.id} className="people__item">
            <span
              className={`avatar avatar--small avatar--c${avatarSlot(participant.id)}`}
              aria-hidden="true"
            >
              {initials(participant.displayName)}
            </span>
            <span className="people__text">
              <span className="people__name">
                {isSelf
                  ? t('meeting.you', { name: participant.displayName })
                  : participant.displayName}
              </span>
              <span className="people__meta">
                <span className={`role-tag role-tag--${participant.role}`}>
                  {t(ROLE_LABELS[participant.role])}
                </span>
                {minutes?.takers.has(participant.id) === true && (
                  <span className="role-tag role-tag--taker">{t('minutes.badge')}</span>
                )}
                <span className={`presence presence--${participant.presence}`}>
                  {t(
                    participant.presence === 'online' ? 'presence.online' : 'presence.reconnecting',
                  )}
                </span>
              </span>
            </span>
            <span className="people__state">
              <Icon
                name={mic ? 'mic' : 'micOff'}
                label={t(mic ? 'media.micIsOn' : 'media.micIsOff')}
                className={mic ? '' : 'is-off'}
              />
              <Icon
                name={cam ? 'camera' : 'cameraOff'}
                label={t(cam ? 'media.camIsOn' : 'media.camIsOff')}
                className={cam ? '' : 'is-off'}
              />
            </span>
            {!isSelf && moderation && (
              <ActionsMenu
                label={t('moderation.actionsFor', { name: participant.displayName })}
                actions={actionsFor(moderation, participant)}
              />
            )}
            {/* Without moderator rights the one action is reporting: one button, no menu. */}
            {!isSelf && !moderation && (
              <button
                type="button"
                className="icon-button icon-button--small actions-menu__button"
                aria-label={t('reports.actionLabel', { name: participant.displayName })}
                aria-haspopup="dialog"
                title={t('reports.actionLabel', { name: participant.displayName })}
                onClick={() => {
                  setReported(null);
                  setReportTarget(participant);
                }}
              >
                <Icon name="flag" />
              </button>
            )}
            {/* Keeps my state icons in the same column as everyone else's. */}
            {isSelf && others.length > 0 && (
              <span className="actions-menu__spacer" aria-hidden="true" />
            )}
          </li>
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {/* Escape answers the dialog; it must not also close the side panel around it. */}
      <div
        onKeyDown={(event) => {
          if (event.key === 'Escape') event.stopPropagation();
        }}
      >
        <ConfirmDialog
          open={removalOpen}
          title={t(removal?.ban === true ? 'moderation.ban.title' : 'moderation.remove.title', {
            name: removalName,
          })}
          text={t(removal?.ban === true ? 'moderation.ban.text' : 'moderation.remove.text', {
            name: removalName,
          })}
          confirmLabel={t(removal?.ban === true ? 'moderation.removeAndBan' : 'moderation.remove')}
          cancelLabel={t('moderation.cancel')}
          error={removalError}
          onCancel={() => {
            setRemoval(null);
          }}
          onConfirm={confirmRemoval}
        />
        <ReportDialog
          target={reportTarget}
          onClose={() => {
            setReportTarget(null);
          }}
          onSubmit={async (target, reason, text) => {
            await onReport(target.id, reason, text);
            setReportTarget(null);
            setReported(target.displayName);
          }}
        />
        {moderation && (
          <LockSettingsDialog
            open={locksOpen}
            locks={locks}
            onChange={(changes) => moderation.setLocks(changes)}
            onClose={() => {
              setLocksOpen(false);
              locksRef.current?.focus();
            }}
          />
        )}
      </div>
    </div>
  );
}
