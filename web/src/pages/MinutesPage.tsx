import { useCallback, useEffect, useState } from 'react';
import type { MouseEvent } from 'react';
import type { MinutesRecord } from '@konvent/protocol';
import { fetchMinutes, fetchMyMinutes } from '../api/minutesApi.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { navigate } from '../routing.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { apiErrorKey } from '../ui/errorMessage.ts';
import { Icon } from '../ui/Icons.tsx';
import { ExportLinks } from '../ui/minutes/ExportLinks.tsx';
import { MinutesItems } from '../ui/minutes/MinutesItems.tsx';
import { Notice } from '../ui/Notice.tsx';
import { SignInRequired } from '../ui/SignInRequired.tsx';
import '../styles/auth.css';
import '../styles/minutes.css';

type Loaded<T> =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; value: T };

/** Follows an in-app link with the History API; modified clicks open as the browser would. */
function follow(event: MouseEvent<HTMLAnchorElement>, to: string): void {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(to);
}

/** Loads once per `key`; `reload` tries again. */
function useLoaded<T>(load: () => Promise<T>): [Loaded<T>, () => void] {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const run = useCallback(() => {
    setLoaded({ state: 'loading' });
    load().then(
      (value) => {
        setLoaded({ state: 'ok', value });
      },
      (failure: unknown) => {
        setLoaded({ state: 'error', message: t(apiErrorKey(failure)) });
      },
    );
  }, [load, t]);
  useEffect(run, [run]);
  return [loaded, run];
}

/** "3 Dec 2026, 10:00 – 11:30", "Since …" or "Not started". */
function useWhen(): (record: MinutesRecord) => string {
  const { t, lang } = useI18n();
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return (record) => {
    if (record.startedAt === null) return t('minutes.page.notStarted');
    const start = time.format(new Date(record.startedAt));
    if (record.endedAt === null) return t('minutes.page.running', { start });
    return t('minutes.page.when', { start, end: time.format(new Date(record.endedAt)) });
  };
}

function Status<T>({ loaded, onRetry }: { loaded: Loaded<T>; onRetry: () => void }) {
  const { t } = useI18n();
  if (loaded.state === 'loading') {
    return (
      <p className="inline-loading" role="status">
        <span className="spinner" aria-hidden="true" />
        {t('minutes.page.loading')}
      </p>
    );
  }
  if (loaded.state === 'error') {
    return (
      <div className="minutes-page__error">
        <Notice tone="error">{loaded.message}</Notice>
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t('minutes.page.retry')}
        </button>
      </div>
    );
  }
  return null;
}

function MinutesList() {
  const { t } = useI18n();
  const when = useWhen();
  const [loaded, reload] = useLoaded(fetchMyMinutes);
  if (loaded.state !== 'ok') return <Status loaded={loaded} onRetry={reload} />;
  const { minutes } = loaded.value;
  if (minutes.length === 0)
    return <p className="card minutes-page__empty">{t('minutes.page.empty')}</p>;
  return (
    <ul className="minutes-page__list" aria-label={t('minutes.page.heading')}>
      {minutes.map((record) => {
        const title = record.title || t('minutes.page.untitled');
        const to = `/minutes/${record.meetingId}`;
        return (
          <li key={record.meetingId} className="card minutes-page__entry">
            <div className="minutes-page__entry-text">
              <h2 className="minutes-page__title">
                <a
                  href={to}
                  aria-label={t('minutes.page.openLabel', { title })}
                  onClick={(event) => {
                    follow(event, to);
                  }}
                >
                  {title}
                </a>
              </h2>
              <p className="minutes-page__meta">
                <Icon name="clock" />
                {when(record)}
              </p>
              <p className="minutes-page__meta">
                <Icon name="check" />
                {t('minutes.items.count', { count: record.items.length })}
              </p>
            </div>
            <ExportLinks meetingId={record.meetingId} />
          </li>
        );
      })}
    </ul>
  );
}

function MinutesView({ meetingId }: { meetingId: string }) {
  const { t } = useI18n();
  const when = useWhen();
  const load = useCallback(() => fetchMinutes(meetingId), [meetingId]);
  const [loaded, reload] = useLoaded(load);
  if (loaded.state !== 'ok') return <Status loaded={loaded} onRetry={reload} />;
  const record = loaded.value;
  return (
    <article className="card minutes-page__record" aria-labelledby="minutes-record-title">
      <h2 id="minutes-record-title" className="card__title">
        <Icon name="notes" />
        {record.title || t('minutes.page.untitled')}
      </h2>
      <p className="minutes-page__meta">
        <Icon name="clock" />
        {when(record)}
      </p>
      <h3 className="minutes__heading">{t('minutes.page.notes')}</h3>
      {record.notes.trim() === '' ? (
        <p className="minutes__empty">{t('minutes.page.noNotes')}</p>
      ) : (
        <div className="minutes-page__notes">{record.notes}</div>
      )}
      <h3 className="minutes__heading">{t('minutes.items.heading')}</h3>
      <MinutesItems items={record.items} commands={null} onError={() => undefined} />
      <ExportLinks meetingId={record.meetingId} />
    </article>
  );
}

/**
 * `/minutes`: the minutes of the meetings the signed-in account may read, newest first,
 * each with its export links; `/minutes/<meetingId>`: one of them, notes and items.
 */
export function MinutesPage({ meetingId }: { meetingId?: string }) {
  const { t } = useI18n();

  useEffect(() => {
    document.title = `${t('minutes.page.title')} · ${t('app.name')}`;
  }, [t]);

  return (
    <div className="page page--light page--console">
      <SkipLink />
      <AppHeader />
      <main id="main" className="console">
        <div className="console__intro">
          <p className="eyebrow">{t('minutes.page.eyebrow')}</p>
          <h1 className="console__heading">{t('minutes.page.heading')}</h1>
          <p className="console__lead">{t('minutes.page.lead')}</p>
          {meetingId !== undefined && (
            <a
              className="minutes-page__back"
              href="/minutes"
              onClick={(event) => {
                follow(event, '/minutes');
              }}
            >
              ← {t('minutes.page.back')}
            </a>
          )}
        </div>
        <SignInRequired>
          {() =>
            meetingId === undefined ? (
              <MinutesList />
            ) : (
              <MinutesView key={meetingId} meetingId={meetingId} />
            )
          }
        </SignInRequired>
      </main>
      <AppFooter />
    </div>
  );
}
