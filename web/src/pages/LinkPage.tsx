import { useEffect, useRef, useState } from 'react';
import type { LinkCheckReply } from '@konvent/protocol';
import { ApiError } from '../api/ApiError.ts';
import { checkOneTimeLink } from '../api/authApi.ts';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import type { LinkPageKind } from '../routing.ts';
import { apiErrorKey } from '../ui/errorMessage.ts';
import { Icon } from '../ui/Icons.tsx';
import { Notice } from '../ui/Notice.tsx';
import { AuthLayout } from './auth/AuthLayout.tsx';
import { LINK_TEXTS, LinkForm } from './auth/LinkForm.tsx';
import { hideTokenFromAddress } from './meetingToken.ts';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

type Check =
  | { state: 'checking' }
  | { state: 'invalid' }
  | { state: 'error'; message: MessageKey }
  | { state: 'ready'; link: LinkCheckReply };

function storageKey(kind: LinkPageKind): string {
  return `konvent.link.${kind}`;
}

/**
 * The token of the link: from the fragment (`#k=`, never sent to any server by the
 * browser), removed from the address at once; kept in this tab's session storage so a
 * reload still works.
 */
function takeToken(kind: LinkPageKind): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('k');
  hideTokenFromAddress();
  try {
    if (fromHash !== null && TOKEN_PATTERN.test(fromHash)) {
      sessionStorage.setItem(storageKey(kind), fromHash);
      return fromHash;
    }
    const stored = sessionStorage.getItem(storageKey(kind));
    return stored !== null && TOKEN_PATTERN.test(stored) ? stored : null;
  } catch {
    return fromHash !== null && TOKEN_PATTERN.test(fromHash) ? fromHash : null;
  }
}

function forgetToken(kind: LinkPageKind): void {
  try {
    sessionStorage.removeItem(storageKey(kind));
  } catch {
    // Nothing stored, nothing to forget.
  }
}

/**
 * `/setup`, `/welcome` and `/reset`: the one-time links for the first administrator, an
 * invitation and a password reset. The link is checked first, then a password is chosen
 * (with live feedback from the policy); the new session then continues on the sign-in
 * page, which asks for a second factor where the account's roles require one.
 */
export function LinkPage({ kind }: { kind: LinkPageKind }) {
  const { t } = useI18n();
  const [token] = useState(() => takeToken(kind));
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  const started = useRef(false);

  useEffect(() => {
    // Once only: StrictMode runs effects twice, and link checks are rate-limited.
    if (started.current) return;
    started.current = true;
    if (token === null) {
      setCheck({ state: 'invalid' });
      return;
    }
    checkOneTimeLink(token)
      .then((link) => {
        setCheck({ state: 'ready', link });
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'not_found') setCheck({ state: 'invalid' });
        else setCheck({ state: 'error', message: apiErrorKey(error) });
      });
  }, [token]);

  if (check.state === 'ready' && token !== null) {
    return (
      <AuthLayout pageTitle={t(LINK_TEXTS[check.link.kind].heading)}>
        <LinkForm
          token={token}
          link={check.link}
          onDone={() => {
            forgetToken(kind);
          }}
        />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout pageTitle={t('link.pageTitle')}>
      {check.state === 'checking' && (
        <p className="inline-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('link.checking')}
        </p>
      )}
      {check.state === 'error' && <Notice tone="error">{t(check.message)}</Notice>}
      {check.state === 'invalid' && (
        <div className="auth__message" role="alert">
          <span className="message-card__icon message-card__icon--warning">
            <Icon name="alert" />
          </span>
          <h1 className="auth__heading">{t('error.invalidLink')}</h1>
          <p className="auth__lead">{t('link.invalid')}</p>
        </div>
      )}
    </AuthLayout>
  );
}
