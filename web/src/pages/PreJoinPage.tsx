import { useEffect, useState } from 'react';
import type { CheckLinkReply, JoinReply, MeetingRole } from '@konvent/protocol';
import { ApiError } from '../api/ApiError.ts';
import { checkLink } from '../api/api.ts';
import { fullSession, useAuth } from '../auth/session.ts';
import type { MessageKey } from '../i18n/en.ts';
import { useI18n } from '../i18n/I18n.tsx';
import type { LocalMedia } from '../media/LocalMedia.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { errorMessageKey } from '../ui/errorMessage.ts';
import { Icon } from '../ui/Icons.tsx';
import { SignInRequired } from '../ui/SignInRequired.tsx';
import { InvalidLinkPage } from './InvalidLinkPage.tsx';
import { DeviceCheck } from './prejoin/DeviceCheck.tsx';
import { JoinForm } from './prejoin/JoinForm.tsx';

const NAME_KEY = 'konvent.displayName';

const ROLE_LABELS: Record<MeetingRole, MessageKey> = {
  moderator: 'role.moderator',
  presenter: 'role.presenter',
  participant: 'role.participant',
  guest: 'role.guest',
};

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Without storage the name is simply asked again next time.
  }
}

type CheckState =
  | { state: 'checking' }
  | { state: 'ready'; info: CheckLinkReply }
  | { state: 'invalid' }
  | { state: 'error'; message: MessageKey };

/** What the pre-join page hands over when the join succeeded. */
export interface Joined {
  reply: JoinReply;
  displayName: string;
  title: string;
}

/**
 * `/m/<id>`: checks the link, shows the meeting and my role, lets me test camera and
 * microphone (preview, level meter, switch off before joining), asks for my name (and the
 * passcode or PIN where the link needs one), says when a moderator must admit me, and shows
 * the privacy notice. A moderator link works only when signed in: without a session it
 * shows the sign-in, which comes back here. The devices opened here go to the meeting.
 */
export function PreJoinPage({
  meetingId,
  token,
  localMedia,
  onJoined,
  onEnded,
}: {
  meetingId: string;
  token: string | null;
  localMedia: LocalMedia;
  onJoined: (joined: Joined) => void;
  onEnded: () => void;
}) {
  const { t } = useI18n();
  const auth = useAuth();
  const session = fullSession(auth);
  const [check, setCheck] = useState<CheckState>(
    token ? { state: 'checking' } : { state: 'invalid' },
  );
  // A signed-in person who never typed a name here starts with their account's name.
  const [name, setName] = useState(() => storedName());
  const initialName = name || session?.account.displayName || '';

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    checkLink(meetingId, token).then(
      (info) => {
        if (!cancelled) setCheck({ state: 'ready', info });
      },
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.code === 'meeting_ended') onEnded();
        else if (error instanceof ApiError && error.code === 'not_found') {
          setCheck({ state: 'invalid' });
        } else setCheck({ state: 'error', message: errorMessageKey(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [meetingId, token, onEnded]);

  const info = check.state === 'ready' ? check.info : null;
  const mustSignIn = info !== null && info.signIn && session === null;
  const canJoin = info !== null && !mustSignIn;
  useEffect(() => {
    // Open camera and microphone once the link is known to be good and usable, not before.
    if (!canJoin || localMedia.audioTrack || localMedia.videoTrack) return;
    void localMedia.start({ audio: true, video: true });
  }, [canJoin, localMedia]);

  const title = info ? info.title || t('prejoin.untitled') : '';
  useEffect(() => {
    document.title = title ? `${title} – ${t('app.name')}` : t('app.name');
  }, [title, t]);

  if (check.state === 'invalid') return <InvalidLinkPage />;

  return (
    <div className="page page--light">
      <SkipLink />
      <AppHeader />
      <main id="main" className="prejoin">
        {check.state === 'checking' && (
          <p className="prejoin__checking" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('prejoin.checking')}
          </p>
        )}
        {check.state === 'error' && (
          <div className="card prejoin__problem">
            <p className="notice notice--error" role="alert">
              <Icon name="alert" />
              {t(check.message)}
            </p>
          </div>
        )}
        {info && mustSignIn && (
          <div className="prejoin__signin">
            <p className="eyebrow">{t('prejoin.signIn.eyebrow')}</p>
            <h1 className="prejoin__title">{title}</h1>
            <SignInRequired heading={t('prejoin.signIn.heading')} text={t('prejoin.signIn.text')}>
              {() => null}
            </SignInRequired>
          </div>
        )}
        {info && canJoin && token && (
          <>
            <DeviceCheck localMedia={localMedia} name={name || initialName} />
            <section className="card prejoin__card" aria-labelledby="prejoin-title">
              <p className="eyebrow">{t('prejoin.heading')}</p>
              <h1 id="prejoin-title" className="prejoin__title">
                {title}
              </h1>
              <p className={`prejoin__role prejoin__role--${info.role}`}>
                <Icon name={info.role === 'moderator' ? 'shield' : 'users'} />
                {t('prejoin.roleLine', { role: t(ROLE_LABELS[info.role]) })}
              </p>
              {info.arrival === 'invitation' && (
                <p className="prejoin__arrival">
                  <Icon name="key" />
                  {t('prejoin.invited')}
                </p>
              )}
              <JoinForm
                meetingId={meetingId}
                token={token}
                info={info}
                initialName={initialName}
                onNameChange={setName}
                onEnded={onEnded}
                onInvalid={() => {
                  setCheck({ state: 'invalid' });
                }}
                onJoined={(reply, displayName) => {
                  rememberName(displayName);
                  onJoined({ reply, displayName, title });
                }}
              />
              <aside className="privacy" aria-labelledby="privacy-heading">
                <h2 id="privacy-heading" className="privacy__heading">
                  <Icon name="shield" />
                  {t('prejoin.privacy.heading')}
                </h2>
                <p className="privacy__text">{t('prejoin.privacy.text')}</p>
              </aside>
            </section>
          </>
        )}
      </main>
      <AppFooter />
    </div>
  );
}
