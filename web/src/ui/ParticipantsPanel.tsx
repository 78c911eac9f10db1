import type { Participant } from '@konvent/protocol';
import { useI18n } from '../i18n/I18n.tsx';
import { Icon } from './Icons.tsx';
import { avatarSlot, initials } from './initials.ts';

/** The participant list: name, role, presence and microphone/camera state of everyone. */
export function ParticipantsPanel({
  self,
  others,
  selfMicOn,
  selfCamOn,
}: {
  self: Participant;
  others: readonly Participant[];
  selfMicOn: boolean;
  selfCamOn: boolean;
}) {
  const { t } = useI18n();
  // Moderators first, then by name, so the people to ask are easy to find.
  const sorted = [...others].sort(
    (a, b) =>
      Number(b.role === 'moderator') - Number(a.role === 'moderator') ||
      a.displayName.localeCompare(b.displayName),
  );
  const rows = [
    { participant: self, isSelf: true, mic: selfMicOn, cam: selfCamOn },
    ...sorted.map((p) => ({ participant: p, isSelf: false, mic: p.microphone, cam: p.camera })),
  ];
  return (
    <div className="side-panel__body">
      <p className="side-panel__meta">{t('meeting.count', { count: rows.length })}</p>
      <ul className="people" aria-label={t('meeting.participants')}>
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
                  {t(participant.role === 'moderator' ? 'role.moderator' : 'role.participant')}
                </span>
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
          </li>
        ))}
      </ul>
    </div>
  );
}
