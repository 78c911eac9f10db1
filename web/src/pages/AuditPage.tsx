import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { SubmitEvent } from 'react';
import {
  AUDIT_ACTION_NAMES,
  type AuditEventsQuery,
  type AuditEventView,
  type AuditOutcome,
} from '@konvent/protocol';
import { ApiError } from '../api/ApiError.ts';
import { auditSession, auditSignIn, auditSignOut, searchAuditEvents } from '../api/auditApi.ts';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { AppFooter, AppHeader, SkipLink } from '../ui/AppHeader.tsx';
import { errorMessageKey } from '../ui/errorMessage.ts';
import { Icon } from '../ui/Icons.tsx';
import { hideTokenFromAddress } from './meetingToken.ts';
import '../styles/audit.css';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const PAGE_SIZE = '50';
const OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];
const VERIFY_COMMAND = 'npm run audit -- verify';
const GRANT_COMMAND = 'npm run audit -- grant-auditor --label "<name>" --hours 8';

type Access =
  | { state: 'checking' }
  | { state: 'signedOut'; notice: MessageKey | null }
  | { state: 'signedIn'; expiresAt: string };

interface Filters {
  from: string;
  to: string;
  actor: string;
  meeting: string;
  action: string;
  outcome: string;
}

const NO_FILTERS: Filters = { from: '', to: '', actor: '', meeting: '', action: '', outcome: '' };

/** A `datetime-local` value (local time) as an ISO time for the API, or undefined. */
function isoOf(local: string): string | undefined {
  if (local === '') return undefined;
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

function queryOf(filters: Filters, before: string | null): AuditEventsQuery {
  const query: AuditEventsQuery = { limit: PAGE_SIZE };
  const from = isoOf(filters.from);
  const to = isoOf(filters.to);
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  if (filters.actor.trim() !== '') query.actor = filters.actor.trim();
  if (filters.meeting.trim() !== '') query.meeting = filters.meeting.trim();
  if (filters.action !== '') query.action = filters.action;
  if (filters.outcome !== '') query.outcome = filters.outcome as AuditOutcome;
  if (before !== null) query.before = before;
  return query;
}

/** The token of an auditor link (`/audit#k=<token>`), removed from the address at once. */
function takeLinkToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('k');
  hideTokenFromAddress();
  return token !== null && TOKEN_PATTERN.test(token) ? token : null;
}

/**
 * `/audit`: auditor sign-in from a single-use link, then a search over the audit trail
 * (time, actor, meeting, action, outcome), a page of results at a time. Auditors see
 * events, never meeting content; every search is itself audited by the server.
 */
export function AuditPage() {
  const { t } = useI18n();
  const [access, setAccess] = useState<Access>({ state: 'checking' });
  const started = useRef(false);

  useEffect(() => {
    document.title = `${t('audit.pageTitle')} · ${t('app.name')}`;
  }, [t]);

  useEffect(() => {
    // Once only: the token is single-use, and StrictMode runs effects twice.
    if (started.current) return;
    started.current = true;
    const token = takeLinkToken();
    const attempt = token === null ? auditSession() : auditSignIn(token);
    attempt
      .then((session) => {
        setAccess({ state: 'signedIn', expiresAt: session.expiresAt });
      })
      .catch((error: unknown) => {
        const notice =
          token === null
            ? null
            : error instanceof ApiError && error.code === 'not_found'
              ? 'audit.invalidLink'
              : errorMessageKey(error);
        setAccess({ state: 'signedOut', notice });
      });
  }, []);

  const signOut = useCallback(() => {
    auditSignOut()
      .catch(() => undefined)
      .finally(() => {
        setAccess({ state: 'signedOut', notice: 'audit.signedOut' });
      });
  }, []);

  return (
    <div className="page page--light">
      <SkipLink />
      <AppHeader />
      <main id="main" className="audit">
        <div className="audit__intro">
          <div>
            <p className="eyebrow">{t('audit.eyebrow')}</p>
            <h1 className="audit__heading">{t('audit.heading')}</h1>
            <p className="audit__lead">{t('audit.lead')}</p>
          </div>
          {access.state === 'signedIn' && (
            <SessionBox expiresAt={access.expiresAt} onSignOut={signOut} />
          )}
        </div>
        {access.state === 'checking' && (
          <p className="app-loading" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('audit.signingIn')}
          </p>
        )}
        {access.state === 'signedOut' && <SignInHelp notice={access.notice} />}
        {access.state === 'signedIn' && (
          <AuditSearch
            onSessionEnded={() => {
              setAccess({ state: 'signedOut', notice: 'audit.sessionEnded' });
            }}
          />
        )}
      </main>
      <AppFooter />
    </div>
  );
}

function SessionBox({ expiresAt, onSignOut }: { expiresAt: string; onSignOut: () => void }) {
  const { t, lang } = useI18n();
  const until = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(expiresAt),
  );
  return (
    <div className="audit__session">
      <span className="audit__session-text">
        <Icon name="shield" />
        {t('audit.sessionUntil', { time: until })}
      </span>
      <button type="button" className="button button--secondary button--small" onClick={onSignOut}>
        {t('audit.signOut')}
      </button>
    </div>
  );
}

function SignInHelp({ notice }: { notice: MessageKey | null }) {
  const { t } = useI18n();
  return (
    <section className="card audit__signin" aria-labelledby="audit-signin-heading">
      <h2 id="audit-signin-heading" className="card__title">
        <Icon name="lock" />
        {t('audit.signIn.heading')}
      </h2>
      {notice !== null && (
        <p
          className={`notice ${notice === 'audit.signedOut' ? 'notice--success' : 'notice--error'}`}
          role={notice === 'audit.signedOut' ? 'status' : 'alert'}
        >
          <Icon name={notice === 'audit.signedOut' ? 'info' : 'alert'} />
          {t(notice)}
        </p>
      )}
      <p className="card__text">{t('audit.signIn.text')}</p>
      <p className="field-hint">{t('audit.signIn.admin')}</p>
      <pre className="audit__command">
        <code>{GRANT_COMMAND}</code>
      </pre>
    </section>
  );
}

function AuditSearch({ onSessionEnded }: { onSessionEnded: () => void }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [events, setEvents] = useState<AuditEventView[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const applied = useRef<Filters>(NO_FILTERS);

  const load = useCallback(
    async (chosen: Filters, before: string | null) => {
      setBusy(true);
      setError(null);
      try {
        const page = await searchAuditEvents(queryOf(chosen, before));
        setEvents((shown) => (before === null ? page.events : [...shown, ...page.events]));
        setNextBefore(page.nextBefore);
        applied.current = chosen;
      } catch (err) {
        if (err instanceof ApiError && err.code === 'unauthenticated') onSessionEnded();
        else setError(errorMessageKey(err));
      } finally {
        setBusy(false);
      }
    },
    [onSessionEnded],
  );

  useEffect(() => {
    void load(NO_FILTERS, null);
  }, [load]);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!busy) void load(filters, null);
  };

  return (
    <>
      <FilterForm
        filters={filters}
        busy={busy}
        onChange={setFilters}
        onSubmit={submit}
        onReset={() => {
          setFilters(NO_FILTERS);
          void load(NO_FILTERS, null);
        }}
      />
      {error !== null && (
        <p className="notice notice--error audit__error" role="alert">
          <Icon name="alert" />
          {t(error)}
        </p>
      )}
      <ResultsTable
        events={events}
        busy={busy}
        hasMore={nextBefore !== null}
        onLoadMore={() => {
          if (!busy) void load(applied.current, nextBefore);
        }}
      />
      <section className="card audit__verify" aria-labelledby="audit-verify-heading">
        <h2 id="audit-verify-heading" className="card__title">
          <Icon name="check" />
          {t('audit.verify.heading')}
        </h2>
        <p className="card__text">{t('audit.verify.text')}</p>
        <pre className="audit__command">
          <code>{VERIFY_COMMAND}</code>
        </pre>
      </section>
    </>
  );
}

interface FilterFormProps {
  filters: Filters;
  busy: boolean;
  onChange: (filters: Filters) => void;
  onSubmit: (event: SubmitEvent) => void;
  onReset: () => void;
}

function FilterForm({ filters, busy, onChange, onSubmit, onReset }: FilterFormProps) {
  const { t } = useI18n();
  const id = useId();
  const set = (key: keyof Filters) => (value: string) => {
    onChange({ ...filters, [key]: value });
  };
  return (
    <section className="card audit__filters" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="card__title">
        {t('audit.filters.heading')}
      </h2>
      <form
        className="audit__form"
        onSubmit={(event) => {
          onSubmit(event);
        }}
        noValidate
      >
        <TextField
          id={`${id}-from`}
          label={t('audit.filter.from')}
          type="datetime-local"
          value={filters.from}
          onChange={set('from')}
        />
        <TextField
          id={`${id}-to`}
          label={t('audit.filter.to')}
          type="datetime-local"
          value={filters.to}
          onChange={set('to')}
        />
        <TextField
          id={`${id}-actor`}
          label={t('audit.filter.actor')}
          placeholder={t('audit.filter.actorHint')}
          value={filters.actor}
          onChange={set('actor')}
        />
        <TextField
          id={`${id}-meeting`}
          label={t('audit.filter.meeting')}
          placeholder={t('audit.filter.meetingHint')}
          value={filters.meeting}
          onChange={set('meeting')}
        />
        <div className="field">
          <label htmlFor={`${id}-action`} className="field-label">
            {t('audit.filter.action')}
          </label>
          <select
            id={`${id}-action`}
            className="select"
            value={filters.action}
            onChange={(event) => {
              set('action')(event.target.value);
            }}
          >
            <option value="">{t('audit.filter.any')}</option>
            {AUDIT_ACTION_NAMES.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-outcome`} className="field-label">
            {t('audit.filter.outcome')}
          </label>
          <select
            id={`${id}-outcome`}
            className="select"
            value={filters.outcome}
            onChange={(event) => {
              set('outcome')(event.target.value);
            }}
          >
            <option value="">{t('audit.filter.any')}</option>
            {OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {t(`audit.outcome.${outcome}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="button-row audit__form-actions">
          <button type="submit" className="button button--primary" aria-disabled={busy}>
            {t('audit.filter.submit')}
          </button>
          <button type="button" className="button button--ghost" onClick={onReset}>
            {t('audit.filter.reset')}
          </button>
        </div>
      </form>
    </section>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'datetime-local';
  placeholder?: string;
}

function TextField({ id, label, value, onChange, type = 'text', placeholder }: TextFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        className="input"
        type={type}
        value={value}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </div>
  );
}

interface ResultsTableProps {
  events: AuditEventView[];
  busy: boolean;
  hasMore: boolean;
  onLoadMore: () => void;
}

function ResultsTable({ events, busy, hasMore, onLoadMore }: ResultsTableProps) {
  const { t, lang } = useI18n();
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <section className="card audit__results" aria-labelledby="audit-results-heading">
      <h2 id="audit-results-heading" className="card__title">
        {t('audit.results.heading')}
      </h2>
      <div className="audit__table-wrap">
        <table className="audit-table" aria-busy={busy}>
          <caption className="audit-table__caption">
            {t('audit.results.caption', { count: events.length })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.col.seq')}</th>
              <th scope="col">{t('audit.col.time')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.outcome')}</th>
              <th scope="col">{t('audit.col.actor')}</th>
              <th scope="col">{t('audit.col.meeting')}</th>
              <th scope="col">{t('audit.col.target')}</th>
              <th scope="col">{t('audit.col.source')}</th>
              <th scope="col">{t('audit.col.details')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.seq}>
                <td className="audit-table__num">{event.seq}</td>
                <td className="audit-table__time">{time.format(new Date(event.time))}</td>
                <td>
                  <code className="audit-table__code">{event.action}</code>
                </td>
                <td>
                  <span className={`audit-outcome audit-outcome--${event.outcome}`}>
                    {OUTCOMES.includes(event.outcome as AuditOutcome)
                      ? t(`audit.outcome.${event.outcome as AuditOutcome}`)
                      : event.outcome}
                  </span>
                </td>
                {event.erased ? (
                  <td colSpan={5} className="audit-table__erased">
                    {t('audit.erased')}
                  </td>
                ) : (
                  <>
                    <td>
                      <span className="audit-table__kind">{event.actor.kind}</span>
                      <Ident value={event.actor.id} />
                    </td>
                    <td>
                      <Ident value={event.meetingId} />
                    </td>
                    <td>
                      <Ident value={event.target} />
                    </td>
                    <td className="audit-table__mono">{event.source ?? '–'}</td>
                    <td className="audit-table__mono audit-table__details">
                      {event.details === null || Object.keys(event.details).length === 0
                        ? '–'
                        : JSON.stringify(event.details)}
                    </td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {events.length === 0 && !busy && <p className="audit__empty">{t('audit.empty')}</p>}
      <p className="visually-hidden" role="status">
        {busy ? t('audit.loading') : ''}
      </p>
      {hasMore && (
        <div className="button-row button-row--center audit__more">
          <button
            type="button"
            className="button button--secondary"
            aria-disabled={busy}
            onClick={onLoadMore}
          >
            {t('audit.loadMore')}
          </button>
        </div>
      )}
    </section>
  );
}

/** A pseudonymous id, in full for copying but visually short. */
function Ident({ value }: { value: string | null }) {
  if (value === null) return <span className="audit-table__none">–</span>;
  return (
    <code className="audit-table__code audit-table__id" title={value}>
      {value}
    </code>
  );
}
