import { useEffect, useRef } from 'react';
import { useAuth } from '../auth/session.ts';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import type { EndReason } from '../media/meetingState.ts';
import { navigate } from '../routing.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { Icon } from '../ui/Icons.tsx';
import type { IconName } from '../ui/Icons.tsx';
import { ExportLinks } from '../ui/minutes/ExportLinks.tsx';

/** Who had to leave against their will gets no minutes offered here. */
const NO_MINUTES: ReadonlySet<EndReason> = new Set(['leftLobby', 'denied', 'removed', 'banned']);

interface EndTexts {
  heading: MessageKey;
  text: MessageKey;
  icon: IconName;
  tone: 'default' | 'neutral' | 'warning';
  /** The label of the button back to the pre-join page; null where coming back is not possible. */
  rejoin: MessageKey | null;
}

const TEXTS: Record<EndReason, EndTexts> = {
  left: {
    heading: 'left.heading',
    text: 'left.text',
    icon: 'leave',
    tone: 'default',
    rejoin: 'left.rejoin',
  },
  leftLobby: {
    heading: 'lobby.left.heading',
    text: 'left.text',
    icon: 'leave',
    tone: 'default',
    rejoin: 'lobby.left.again',
  },
  expired: {
    heading: 'left.heading',
    text: 'left.expired',
    icon: 'leave',
    tone: 'default',
    rejoin: 'left.rejoin',
  },
  ended: {
    heading: 'ended.heading',
    text: 'ended.text',
    icon: 'power',
    tone: 'neutral',
    rejoin: null,
  },
  replaced: {
    heading: 'left.heading',
    text: 'ended.replaced',
    icon: 'leave',
    tone: 'default',
    rejoin: 'left.rejoin',
  },
  // The heading stays the general one: the text says who ended it, and Rejoin is offered.
  removed: {
    heading: 'left.heading',
    text: 'ended.removed',
    icon: 'leave',
    tone: 'warning',
    rejoin: 'left.rejoin',
  },
  banned: {
    heading: 'ended.bannedHeading',
    text: 'ended.banned',
    icon: 'ban',
    tone: 'warning',
    rejoin: null,
  },
  denied: {
    heading: 'lobby.denied.heading',
    text: 'lobby.denied.text',
    icon: 'ban',
    tone: 'warning',
    rejoin: null,
  },
  // Rooms end into the main meeting (BreakoutFlow); shown only if that is gone too.
  breakout_ended: {
    heading: 'breakout.ended.heading',
    text: 'left.text',
    icon: 'leave',
    tone: 'default',
    rejoin: 'left.rejoin',
  },
  moved: {
    heading: 'left.heading',
    text: 'left.text',
    icon: 'leave',
    tone: 'default',
    rejoin: 'left.rejoin',
  },
  signedOut: {
    heading: 'left.signedOut',
    text: 'left.signedOutText',
    icon: 'leave',
    tone: 'default',
    rejoin: 'left.rejoin',
  },
};

/**
 * After the meeting or the lobby: "You have left the meeting" (with rejoin), "The meeting
 * has ended", "A moderator removed you" (rejoin through the pre-join page), removed and
 * banned (no way back), or "Your request to join was declined". After a meeting that kept
 * minutes (`minutesOf`: its id), signed-in accounts get links to export them.
 */
export function EndPage({
  reason,
  onRejoin,
  minutesOf,
}: {
  reason: EndReason;
  onRejoin: () => void;
  minutesOf?: string;
}) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const texts = TEXTS[reason];
  const auth = useAuth();
  // After the meeting the server gives its minutes to signed-in accounts that took part.
  const signedIn = auth.status === 'signedIn' && auth.session.stage === 'full';

  useEffect(() => {
    document.title = `${t(texts.heading)} – ${t('app.name')}`;
  }, [t, texts]);

  useEffect(() => {
    heading.current?.focus();
  }, [reason]);

  const iconTone = texts.tone === 'default' ? '' : ` message-card__icon--${texts.tone}`;
  return (
    <div className="page page--light">
      <SkipLink />
      <AppHeader />
      <main id="main" className="message-page">
        <div className="card message-card">
          <span className={`message-card__icon${iconTone}`}>
            <Icon name={texts.icon} />
          </span>
          <h1 className="message-card__title" tabIndex={-1} ref={heading}>
            {t(texts.heading)}
          </h1>
          <p className="message-card__text">{t(texts.text)}</p>
          {minutesOf !== undefined && signedIn && !NO_MINUTES.has(reason) && (
            <ExportLinks meetingId={minutesOf} title={t('minutes.export.endTitle')} />
          )}
          <div className="button-row button-row--center">
            {texts.rejoin !== null && (
              <button type="button" className="button button--primary" onClick={onRejoin}>
                {t(texts.rejoin)}
              </button>
            )}
            <button
              type="button"
              className={
                texts.rejoin === null ? 'button button--primary' : 'button button--secondary'
              }
              onClick={() => {
                navigate('/');
              }}
            >
              {t('common.home')}
            </button>
          </div>
        </div>
      </main>
      <AppFooter />
    </div>
  );
}
