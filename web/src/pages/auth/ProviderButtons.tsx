import { useEffect, useState } from 'react';
import type { ProvidersReply } from '@konvent/protocol';
import { fetchProviders } from '../../api/authApi.ts';
import { useI18n } from '../../i18n/I18n.tsx';

type Provider = ProvidersReply['providers'][number];

/**
 * Sign-in through the organisation's identity providers (OIDC, SAML). Plain links: the
 * browser leaves for the provider and comes back through the server's callback.
 */
export function ProviderButtons() {
  const { t } = useI18n();
  const [providers, setProviders] = useState<readonly Provider[]>([]);

  useEffect(() => {
    let current = true;
    fetchProviders()
      .then((reply) => {
        if (current) setProviders(reply.providers);
      })
      .catch(() => {
        // Without the list the password form still works.
      });
    return () => {
      current = false;
    };
  }, []);

  if (providers.length === 0) return null;
  return (
    <div className="providers">
      <p className="providers__divider">
        <span>{t('login.or')}</span>
      </p>
      <ul className="providers__list">
        {providers.map((provider) => (
          <li key={`${provider.kind}:${provider.id}`}>
            <a
              className="button button--secondary button--block"
              href={`/api/auth/${provider.kind}/${encodeURIComponent(provider.id)}/start`}
            >
              {t('login.withProvider', { provider: provider.label })}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
