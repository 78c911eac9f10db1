import { readFile } from 'node:fs/promises';
import { PLATFORM_ROLES, type PlatformRole } from '@konvent/protocol';
import {
  oidcProviderConfig,
  parseOidcProviders,
  type OidcProviderConfig,
} from '../auth/oidc/OidcProviderConfig.ts';
import {
  parseSamlProviders,
  samlProviderConfig,
  type SamlProviderConfig,
} from '../auth/saml/SamlProviderConfig.ts';
import { readSecretFile } from './secretFiles.ts';

/** Sign-in settings: identity providers, session timeouts, which roles must use MFA. */
export interface IdentitySettings {
  /** OIDC_PROVIDERS_FILE: OpenID Connect providers (client secrets read from their files). */
  readonly oidc: readonly OidcProviderConfig[];
  /** SAML_PROVIDERS_FILE: SAML 2.0 identity providers. */
  readonly saml: readonly SamlProviderConfig[];
  /** SESSION_IDLE_MINUTES (default 30). */
  readonly idleMinutes: number;
  /** SESSION_MAX_HOURS (default 12). */
  readonly absoluteHours: number;
  /** MFA_REQUIRED_ROLES: more roles that must use MFA (admin and key_custodian always do). */
  readonly mfaRoles: readonly PlatformRole[];
}

const read = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Reads OIDC_PROVIDERS_FILE (and each provider's client secret file), SAML_PROVIDERS_FILE,
 * SESSION_IDLE_MINUTES, SESSION_MAX_HOURS and MFA_REQUIRED_ROLES; every problem is added
 * to `problems` naming the variable.
 */
export async function readIdentitySettings(
  env: NodeJS.ProcessEnv,
  publicUrl: string,
  problems: string[],
): Promise<IdentitySettings> {
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(env, name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(
        `${name}: "${raw}" is not a whole number from ${String(min)} to ${String(max)}`,
      );
      return fallback;
    }
    return value;
  };
  const idleMinutes = number('SESSION_IDLE_MINUTES', 30, 5, 24 * 60);
  const absoluteHours = number('SESSION_MAX_HOURS', 12, 1, 24 * 30);

  const mfaRoles: PlatformRole[] = [];
  for (const role of (read(env, 'MFA_REQUIRED_ROLES') ?? '').split(',')) {
    const name = role.trim();
    if (name === '') continue;
    if ((PLATFORM_ROLES as readonly string[]).includes(name)) mfaRoles.push(name as PlatformRole);
    else problems.push(`MFA_REQUIRED_ROLES: "${name}" is not one of ${PLATFORM_ROLES.join(', ')}`);
  }

  const oidc: OidcProviderConfig[] = [];
  const oidcFile = read(env, 'OIDC_PROVIDERS_FILE');
  if (oidcFile !== undefined) {
    const text = await readText('OIDC_PROVIDERS_FILE', oidcFile, problems);
    if (text !== undefined) {
      try {
        for (const settings of parseOidcProviders(text)) {
          const secret = await readSecretFile(
            `OIDC_PROVIDERS_FILE (${settings.id}).clientSecretFile`,
            settings.clientSecretFile,
            problems,
          );
          if (secret !== undefined) {
            oidc.push(oidcProviderConfig(settings, secret.toString('utf8'), publicUrl));
          }
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }

  const saml: SamlProviderConfig[] = [];
  const samlFile = read(env, 'SAML_PROVIDERS_FILE');
  const samlText =
    samlFile === undefined ? undefined : await readText('SAML_PROVIDERS_FILE', samlFile, problems);
  if (samlText !== undefined) {
    try {
      for (const settings of parseSamlProviders(samlText)) {
        let keyPair: { privateKey: string; certificate: string } | undefined;
        if (settings.spPrivateKeyFile !== undefined && settings.spCertificateFile !== undefined) {
          const key = await readSecretFile(
            `SAML_PROVIDERS_FILE (${settings.id}).spPrivateKeyFile`,
            settings.spPrivateKeyFile,
            problems,
          );
          const certificate = await readText(
            `SAML_PROVIDERS_FILE (${settings.id}).spCertificateFile`,
            settings.spCertificateFile,
            problems,
          );
          if (key === undefined || certificate === undefined) continue;
          keyPair = { privateKey: key.toString('utf8'), certificate };
        }
        saml.push(samlProviderConfig(settings, publicUrl, keyPair));
      }
    } catch (error) {
      problems.push((error as Error).message);
    }
  }

  return { oidc, saml, idleMinutes, absoluteHours, mfaRoles };
}

async function readText(
  variable: string,
  path: string,
  problems: string[],
): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    problems.push(
      `${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
    return undefined;
  }
}
