import type { MouseEvent } from 'react';
import { hasRole, signOutAndLeave, useAuth } from '../auth/session.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { loginPath, navigate, usePathname } from '../routing.ts';
import { Icon } from './Icons.tsx';

const SIGN_IN_PAGES = new Set(['/login', '/setup', '/welcome', '/reset']);

/** Follows an in-app link with the History API; modified clicks open as the browser would. */
function followInApp(event: MouseEvent<HTMLAnchorElement>, to: string): void {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(to);
}

/**
 * The account part of the header: who is signed in, links to Account, My minutes, Admin (the user
 * administration, for admins) and Audit (auditors), and Sign out; "Sign in" when nobody
 * is. The current page's link is marked with `aria-current`.
 */
export function AccountMenu() {
  const { t } = useI18n();
  const auth = useAuth();
  const pathname = usePathname();

  if (auth.status === 'loading') return null;
  if (auth.status === 'signedOut') {
    // The sign-in and one-time link pages are themselves the way in.
    if (SIGN_IN_PAGES.has(pathname)) return null;
    const to = loginPath(pathname);
    return (
      <nav className="account-nav" aria-label={t('nav.label')}>
        <a
          className="account-nav__link"
          href={to}
          onClick={(event) => {
            followInApp(event, to);
          }}
        >
          <Icon name="user" />
          {t('nav.signIn')}
        </a>
      </nav>
    );
  }

  const { session } = auth;
  const complete = session.stage === 'full';
  const links = complete
    ? [
        { to: '/account', label: t('nav.account'), show: true },
        { to: '/minutes', label: t('nav.minutes'), show: true },
        { to: '/admin/users', label: t('nav.admin'), show: hasRole(session, 'admin') },
        { to: '/audit', label: t('nav.audit'), show: hasRole(session, 'auditor') },
      ].filter((link) => link.show)
    : [];
  return (
    <nav className="account-nav" aria-label={t('nav.label')}>
      <span className="account-nav__who" title={session.account.username}>
        <Icon name="user" />
        <span className="visually-hidden">{t('nav.signedInAs')} </span>
        <span className="account-nav__name">{session.account.displayName}</span>
      </span>
      <ul className="account-nav__list">
        {links.map((link) => (
          <li key={link.to}>
            <a
              className="account-nav__link"
              href={link.to}
              aria-current={
                pathname === link.to || pathname.startsWith(`${link.to}/`) ? 'page' : undefined
              }
              onClick={(event) => {
                followInApp(event, link.to);
              }}
            >
              {link.label}
            </a>
          </li>
        ))}
        <li>
          <button
            type="button"
            className="account-nav__link account-nav__signout"
            onClick={() => {
              void signOutAndLeave();
            }}
          >
            {t('nav.signOut')}
          </button>
        </li>
      </ul>
    </nav>
  );
}
