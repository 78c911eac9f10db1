import { useCallback, useEffect, useState } from 'react';
import type { SessionView } from '@konvent/protocol';
import { endOtherSessions, endSession, fetchSessions } from '../../api/authApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { apiErrorKey } from '../../ui/errorMessage.ts';
import { Icon } from '../../ui/Icons.tsx';
import { Notice } from '../../ui/Notice.tsx';

const METHOD_KEYS: Readonly<Record<string, MessageKey>> = {
  password: 'method.password',
  oidc: 'method.sso',
  saml: 'method.sso',
  totp: 'method.totp',
  webauthn: 'method.webauthn',
  recovery: 'method.recovery',
  mfa: 'method.providerMfa',
};

type Status = { tone: 'success' | 'error'; text: string } | null;

/** My live sessions: when and from which network each began; end one, or all others. */
export function SessionsCard() {
  const { t, lang } = useI18n();
  const [sessions, setSessions] = useState<readonly SessionView[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });

  const load = useCallback(async () => {
    try {
      setSessions((await fetchSessions()).sessions);
    } catch (err) {
      setStatus({ tone: 'error', text: t(apiErrorKey(err)) });
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (action: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setStatus(null);
    try {
      const done = await action();
      await load();
      setStatus({ tone: 'success', text: done });
    } catch (err) {
      setStatus({ tone: 'error', text: t(apiErrorKey(err)) });
    } finally {
      setBusy(false);
    }
  };

  const methodText = (method: string) =>
    method
      .split('+')
      .map((part) => {
        const key = METHOD_KEYS[part];
        return key === undefined ? part : t(key);
      })
      .join(' + ');
  const others = sessions?.filter((session) => !session.current).length ?? 0;
  return (
    <section className="card console__card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="card__title">
        <Icon name="server" />
        {t('sessions.heading')}
      </h2>
      <p className="card__text">{t('sessions.lead')}</p>
      {sessions === null && status === null && (
        <p className="inline-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('app.loading')}
        </p>
      )}
      {sessions !== null && (
        <ul className="session-list" aria-label={t('sessions.heading')}>
          {sessions.map((session) => {
            const started = time.format(new Date(session.createdAt));
            return (
              <li key={session.id} className="session-list__item">
                <div className="session-list__body">
                  <p className="session-list__title">
                    {t('sessions.started', { time: started })}
                    {session.current && (
                      <span className="pill pill--success">{t('sessions.current')}</span>
                    )}
                  </p>
                  <p className="session-list__meta">
                    {t('sessions.lastSeen', { time: time.format(new Date(session.lastSeenAt)) })}
                    {' · '}
                    {methodText(session.method)}
                    {session.source !== null &&
                      ` · ${t('sessions.source', { source: session.source })}`}
                  </p>
                </div>
                {!session.current && (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    aria-label={t('sessions.endLabel', { time: started })}
                    aria-disabled={busy}
                    onClick={() => {
                      void act(async () => {
                        await endSession(session.id);
                        return t('sessions.ended');
                      });
                    }}
                  >
                    {t('sessions.end')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {status !== null && <Notice tone={status.tone}>{status.text}</Notice>}
      {others > 0 && (
        <div className="button-row button-row--tight">
          <button
            type="button"
            className="button button--secondary"
            aria-disabled={busy}
            onClick={() => {
              void act(async () => {
                const { revoked } = await endOtherSessions();
                return t('sessions.endedOthers', { count: revoked });
              });
            }}
          >
            {t('sessions.endOthers')}
          </button>
        </div>
      )}
    </section>
  );
}
