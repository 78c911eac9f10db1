import { lazy, Suspense } from 'react';
import { useI18n } from './i18n/I18n.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { StartPage } from './pages/StartPage.tsx';
import { parseRoute, usePathname } from './routing.ts';

// The meeting code (mediasoup-client and all) is only fetched for meeting links, which keeps
// the start page small.
const MeetingFlow = lazy(() =>
  import('./pages/MeetingFlow.tsx').then((module) => ({ default: module.MeetingFlow })),
);

// The auditor page is for a handful of people; nobody else downloads it.
const AuditPage = lazy(() =>
  import('./pages/AuditPage.tsx').then((module) => ({ default: module.AuditPage })),
);

// Sign-in, one-time links, account and administration: only fetched when visited, so
// guests who open a meeting link never download them (nor the WebAuthn library).
const LoginPage = lazy(() =>
  import('./pages/LoginPage.tsx').then((module) => ({ default: module.LoginPage })),
);
const LinkPage = lazy(() =>
  import('./pages/LinkPage.tsx').then((module) => ({ default: module.LinkPage })),
);
const AccountPage = lazy(() =>
  import('./pages/AccountPage.tsx').then((module) => ({ default: module.AccountPage })),
);
const MinutesPage = lazy(() =>
  import('./pages/MinutesPage.tsx').then((module) => ({ default: module.MinutesPage })),
);
const AdminUsersPage = lazy(() =>
  import('./pages/AdminUsersPage.tsx').then((module) => ({ default: module.AdminUsersPage })),
);

function Loading() {
  const { t } = useI18n();
  return (
    <p className="app-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </p>
  );
}

/** Picks the page for the current address. */
export function App() {
  const route = parseRoute(usePathname());
  switch (route.page) {
    case 'start':
      return <StartPage />;
    case 'meeting':
      return (
        <Suspense fallback={<Loading />}>
          {/* Keyed by meeting so switching meetings starts a fresh flow and closes the old one. */}
          <MeetingFlow key={route.meetingId} meetingId={route.meetingId} />
        </Suspense>
      );
    case 'audit':
      return (
        <Suspense fallback={<Loading />}>
          <AuditPage />
        </Suspense>
      );
    case 'login':
      return (
        <Suspense fallback={<Loading />}>
          <LoginPage />
        </Suspense>
      );
    case 'link':
      return (
        <Suspense fallback={<Loading />}>
          {/* Keyed so that moving between link pages starts over with the new token. */}
          <LinkPage key={route.kind} kind={route.kind} />
        </Suspense>
      );
    case 'account':
      return (
        <Suspense fallback={<Loading />}>
          <AccountPage />
        </Suspense>
      );
    case 'adminUsers':
      return (
        <Suspense fallback={<Loading />}>
          <AdminUsersPage />
        </Suspense>
      );
    case 'minutes':
      return (
        <Suspense fallback={<Loading />}>
          <MinutesPage {...(route.meetingId === undefined ? {} : { meetingId: route.meetingId })} />
        </Suspense>
      );
    case 'notFound':
      return <NotFoundPage />;
  }
}
