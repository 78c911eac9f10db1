import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import type { SubmitEvent } from 'react';
import type { CheckLinkReply, JoinReply } from '@konvent/protocol';
import { ApiError } from '../api/ApiError.ts';
import { checkLink, joinMeeting } from '../api/api.ts';
import type { MessageKey } from '../i18n/en.ts';
import { useI18n } from '../i18n/I18n.tsx';
import type { LocalMedia } from '../media/LocalMedia.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { errorMessageKey } from '../ui/errorMessage.ts';
import { Icon } from '../ui/Icons.tsx';
import { initials } from '../ui/initials.ts';
import { MicLevelMeter } from '../ui/MicLevelMeter.tsx';
import { MediaToggle } from '../ui/MediaToggle.tsx';
import { InvalidLinkPage } from './InvalidLinkPage.tsx';

const NAME_KEY = 'konvent.displayName';
const NAME_MAX = 64;
// Mirrors the protocol's DisplayName rule: no control characters, not only spaces.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/u;

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
 * microphone (preview, level meter, switch off before joining), asks for my name and
 * shows the privacy notice. The devices opened here are handed to the meeting.
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
  const nameId = useId();
  const [check, setCheck] = useState<CheckState>(
    token ? { state: 'checking' } : { state: 'invalid' },
  );
  const [name, setName] = useState(storedName);
  const [nameError, setNameError] = useState(false);
  const [joinError, setJoinError] = useState<MessageKey | null>(null);
  const [busy, setBusy] = useState(false);
  const devices = useSyncExternalStore(localMedia.subscribe, localMedia.getState);
  const videoRef = useRef<HTMLVideoElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

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

  const ready = check.state === 'ready';
  useEffect(() => {
    // Open camera and microphone once the link is known to be good, not for bad links.
    if (!ready || localMedia.audioTrack || localMedia.videoTrack) return;
    void localMedia.start({ audio: true, video: true });
  }, [ready, localMedia]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.srcObject = devices.video ? new MediaStream([devices.video]) : null;
  }, [devices.video, ready]);

  const title = check.state === 'ready' ? check.info.title || t('prejoin.untitled') : '';
  useEffect(() => {
    document.title = title ? `${title} – ${t('app.name')}` : t('app.name');
  }, [title, t]);

  if (check.state === 'invalid') return <InvalidLinkPage />;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy || check.state !== 'ready') return;
    const displayName = name.trim();
    if (!displayName || displayName.length > NAME_MAX || CONTROL_CHARS.test(displayName)) {
      setNameError(true);
      nameRef.current?.focus();
      return;
    }
    setNameError(false);
    setJoinError(null);
    setBusy(true);
    rememberName(displayName);
    try {
      const reply = await joinMeeting(meetingId, token ?? '', displayName);
      onJoined({ reply, displayName, title });
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.code === 'meeting_ended') onEnded();
      else if (error instanceof ApiError && error.code === 'not_found') {
        setCheck({ state: 'invalid' });
      } else setJoinError(errorMessageKey(error));
    }
  };

  const deviceNotices: MessageKey[] = [];
  if (devices.audioProblem === 'denied' || devices.videoProblem === 'denied') {
    deviceNotices.push('prejoin.permissionDenied');
  } else {
    if (devices.videoProblem === 'unavailable') deviceNotices.push('prejoin.cameraUnavailable');
    if (devices.audioProblem === 'unavailable') deviceNotices.push('prejoin.micUnavailable');
  }

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
        {check.state === 'ready' && (
          <>
            <section className="prejoin__media" aria-label={t('prejoin.deviceCheck')}>
              <div className="preview">
                <video
                  ref={videoRef}
                  className={devices.video ? 'preview__video' : 'preview__video is-hidden'}
                  aria-label={t('prejoin.preview')}
                  autoPlay
                  playsInline
                  muted
                />
                {!devices.video && (
                  <div className="preview__placeholder">
                    {devices.starting ? (
                      <span className="spinner spinner--large" aria-hidden="true" />
                    ) : (
                      <span className="avatar avatar--large" aria-hidden="true">
                        {initials(name)}
                      </span>
                    )}
                    <span>
                      {t(devices.starting ? 'prejoin.cameraStarting' : 'prejoin.cameraOff')}
                    </span>
                  </div>
                )}
                <div className="preview__controls">
                  <MediaToggle
                    kind="microphone"
                    on={devices.audio !== null}
                    onToggle={(on) => {
                      if (on) void localMedia.enable('audio').catch(() => undefined);
                      else localMedia.disable('audio');
                    }}
                  />
                  <MediaToggle
                    kind="camera"
                    on={devices.video !== null}
                    onToggle={(on) => {
                      if (on) void localMedia.enable('video').catch(() => undefined);
                      else localMedia.disable('video');
                    }}
                  />
                </div>
              </div>
              <div className="meter-row">
                <Icon name={devices.audio ? 'mic' : 'micOff'} />
                <span className="meter-row__label" aria-hidden="true">
                  {t('prejoin.micLevel')}
                </span>
                <MicLevelMeter track={devices.audio} label={t('prejoin.micLevel')} />
              </div>
              {deviceNotices.map((key) => (
                <p key={key} className="notice notice--warning" role="status">
                  <Icon name="alert" />
                  {t(key)}
                </p>
              ))}
            </section>

            <section className="card prejoin__card" aria-labelledby="prejoin-title">
              <p className="eyebrow">{t('prejoin.heading')}</p>
              <h1 id="prejoin-title" className="prejoin__title">
                {title}
              </h1>
              <p className={`prejoin__role prejoin__role--${check.info.role}`}>
                <Icon name={check.info.role === 'moderator' ? 'shield' : 'users'} />
                {t('prejoin.roleLine', {
                  role: t(check.info.role === 'moderator' ? 'role.moderator' : 'role.participant'),
                })}
              </p>
              <form
                className="join-form"
                noValidate
                onSubmit={(event) => {
                  void submit(event);
                }}
              >
                <div className="field">
                  <label htmlFor={nameId} className="field-label">
                    {t('prejoin.nameLabel')}
                  </label>
                  <p id={`${nameId}-hint`} className="field-hint">
                    {t('prejoin.nameHint')}
                  </p>
                  <input
                    ref={nameRef}
                    id={nameId}
                    className="input"
                    type="text"
                    value={name}
                    maxLength={NAME_MAX}
                    autoComplete="name"
                    required
                    aria-invalid={nameError}
                    aria-describedby={
                      nameError ? `${nameId}-hint ${nameId}-error` : `${nameId}-hint`
                    }
                    onChange={(event) => {
                      setName(event.target.value);
                      if (nameError) setNameError(false);
                    }}
                  />
                  {nameError && (
                    <p id={`${nameId}-error`} className="field-error">
                      <Icon name="alert" />
                      {t('prejoin.nameRequired')}
                    </p>
                  )}
                </div>
                {joinError && (
                  <p className="notice notice--error" role="alert">
                    <Icon name="alert" />
                    {t(joinError)}
                  </p>
                )}
                <button
                  type="submit"
                  className="button button--primary button--block"
                  aria-disabled={busy}
                >
                  {t('prejoin.join')}
                </button>
                <p className="visually-hidden" role="status">
                  {busy ? t('prejoin.joining') : ''}
                </p>
              </form>
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
