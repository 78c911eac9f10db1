import { createHash, randomInt } from 'node:crypto';
import type {
  FactorsReply,
  RecoveryCodesReply,
  TotpStartReply,
  WebAuthnCredentialView,
} from '@konvent/protocol';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { AppError } from '../errors/AppError.ts';
import type { Clock, RequestContext } from '../meetings/ports.ts';
import type { Tables } from '../storage/Tables.ts';
import type { Vault } from '../vault/Vault.ts';
import { source, type AuthContext, type AuthService, type SignIn } from './AuthService.ts';
import { totpContext, type UserRecord } from './UserStore.ts';

/** Where WebAuthn credentials are bound: the deployment's origin and its host (RP id). */
export interface RelyingParty {
  readonly name: string;
  readonly origin: string;
  readonly id: string;
}

/** What the factor service is built from. */
export interface MfaServiceDeps {
  db: Kysely<Tables>;
  vault: Vault;
  clock: Clock;
  auth: AuthService;
  rp: RelyingParty;
}

/** Summary of a user's factors. */
export interface FactorSummary {
  readonly totp: boolean;
  readonly webauthn: number;
  readonly recoveryCodesLeft: number;
}

const RECOVERY_CODES = 10;
/** Recovery-code alphabet: no 0/O, 1/I/L, so codes read back without mistakes. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** A code may be one step (30 s) old or early: phones' clocks drift. */
const TOTP_TOLERANCE_S = 30;
const TOTP_PERIOD_S = 30;

type Pending =
  | { kind: 'totp'; secret: string; expires: number }
  | { kind: 'webauthn-register' | 'webauthn-login'; challenge: string; expires: number };

const PENDING_MS = 5 * 60_000;

/**
 * Second factors: TOTP (RFC 6238; secret sealed by the vault, each time step accepted once),
 * recovery codes (ten, shown once, stored as SHA-256, each used once) and WebAuthn
 * passkeys or security keys (bound to this deployment's origin). Enrolling, removing and
 * using a factor is audited. Removing the last factor of a role that needs MFA is refused.
 */
export class MfaService {
  readonly #deps: MfaServiceDeps;

  constructor(deps: MfaServiceDeps) {
    this.#deps = deps;
    deps.auth.attachMfa(this);
  }

  /** What factors a user has. */
  async summary(user: UserRecord): Promise<FactorSummary> {
    const [webauthn, recovery] = await Promise.all([
      this.#deps.db
        .selectFrom('webauthn_credentials')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow(),
      this.#deps.db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('user_id', '=', user.id)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      totp: user.totpSecretSealed !== null,
      webauthn: Number(webauthn.n),
      recoveryCodesLeft: Number(recovery.n),
    };
  }

  /** The user's factors in detail, for the account page. */
  async factors(context: AuthContext): Promise<FactorsReply> {
    this.#requireEnrolling(context);
    const summary = await this.summary(context.user);
    const rows = await this.#deps.db
      .selectFrom('webauthn_credentials')
      .select(['id', 'name_sealed', 'created_at', 'last_used_at'])
      .where('user_id', '=', context.user.id)
      .orderBy('created_at')
      .execute();
    const webauthn: WebAuthnCredentialView[] = [];
    for (const row of rows) {
      webauthn.push({
        id: row.id,
        name: await this.#deps.vault.openText(row.name_sealed, credentialContext(row.id)),
        createdAt: row.created_at.toISOString(),
        lastUsedAt: row.last_used_at?.toISOString() ?? null,
      });
    }
    return { totp: summary.totp, recoveryCodesLeft: summary.recoveryCodesLeft, webauthn };
  }

  // ---- TOTP ----------------------------------------------------------------------------

  /** Starts TOTP enrolment: a new secret, its otpauth URI and a QR code drawn here (SVG). */
  async startTotp(context: AuthContext): Promise<TotpStartReply> {
    this.#requireEnrolling(context);
    if (context.user.totpSecretSealed !== null) {
      throw new AppError('conflict', 'an authenticator app is already set up; remove it first');
    }
    const secret = generateSecret({ length: 20 });
    await this.#setPending(context, { kind: 'totp', secret, expires: this.#now() + PENDING_MS });
    const otpauthUri = generateURI({
      issuer: this.#deps.rp.name,
      label: context.user.username,
      secret,
    });
    const qrSvg = await QRCode.toString(otpauthUri, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    return { secret, otpauthUri, qrSvg };
  }

  /**
   * Confirms TOTP enrolment with a first code; answers the recovery codes (new ones) and,
   * for a session in the `enrol` stage, completes the sign-in.
   */
  async confirmTotp(
    context: AuthContext,
    code: string,
    request: RequestContext,
  ): Promise<{ recoveryCodes: string[]; signIn?: SignIn }> {
    this.#requireEnrolling(context);
    const pending = await this.#pending(context);
    if (pending?.kind !== 'totp') throw new AppError('conflict', 'start the enrolment first');
    const result = await verify({
      secret: pending.secret,
      token: code,
      epoch: this.#epoch(),
      epochTolerance: TOTP_TOLERANCE_S,
    });
    if (!result.valid) {
      await this.#deps.auth.audit({
        action: 'mfa.totp_enrolled',
        actor: { kind: 'user', id: context.user.id },
        target: `user:${context.user.id}`,
        outcome: 'failure',
        ...source(request),
        details: { reason: 'wrong_code' },
      });
      throw new AppError(
        'invalid_credentials',
        'the code does not match; check the app and try again',
      );
    }
    const now = this.#deps.clock.now();
    await this.#deps.auth.users.update(
      context.user.id,
      {
        totpSecretSealed: await this.#deps.vault.seal(pending.secret, totpContext(context.user.id)),
        totpLastStep: timeStepOf(result),
      },
      now,
    );
    await this.#deps.auth.sessions.setPending(context.session.id, null);
    await this.#deps.auth.audit({
      action: 'mfa.totp_enrolled',
      actor: { kind: 'user', id: context.user.id },
      target: `user:${context.user.id}`,
      outcome: 'success',
      ...source(request),
    });
    const { recoveryCodes } = await this.#newRecoveryCodes(context, request);
    if (context.stage === 'enrol') {
      return {
        recoveryCodes,
        signIn: await this.#deps.auth.completeStage(context, 'totp', request),
      };
    }
    return { recoveryCodes };
  }

  /** Checks a TOTP code at sign-in (`mfa` stage) and completes the sign-in. */
  async loginWithTotp(
    context: AuthContext,
    code: string,
    request: RequestContext,
  ): Promise<SignIn> {
    this.#requireStage(context, 'mfa');
    await this.#deps.auth.checkSecondFactorLock(context);
    const sealed = context.user.totpSecretSealed;
    let ok = false;
    if (sealed !== null) {
      const secret = await this.#deps.vault.openText(sealed, totpContext(context.user.id));
      const result = await verify({
        secret,
        token: code,
        epoch: this.#epoch(),
        epochTolerance: TOTP_TOLERANCE_S,
        ...(context.user.totpLastStep === null ? {} : { afterTimeStep: context.user.totpLastStep }),
      });
      ok =
        result.valid &&
        (await this.#deps.auth.users.claimTotpStep(context.user.id, timeStepOf(result)));
    }
    if (!ok) {
      await this.#deps.auth.secondFactorFailed(context, 'totp', request);
      throw new AppError('invalid_credentials');
    }
    await this.#deps.auth.secondFactorPassed(context);
    return this.#deps.auth.completeStage(context, 'totp', request);
  }

  /** Removes the authenticator app (refused if it is the last factor a role needs). */
  async removeTotp(context: AuthContext, request: RequestContext): Promise<void> {
    this.#requireStage(context, 'full');
    if (context.user.totpSecretSealed === null)
      throw new AppError('not_found', 'no authenticator app is set up');
    const summary = await this.summary(context.user);
    await this.#refuseLastFactor(context, summary.webauthn === 0, request, 'mfa.totp_removed');
    await this.#deps.auth.users.update(
      context.user.id,
      { totpSecretSealed: null, totpLastStep: null },
      this.#deps.clock.now(),
    );
    await this.#deps.auth.audit({
      action: 'mfa.totp_removed',
      actor: { kind: 'user', id: context.user.id },
      target: `user:${context.user.id}`,
      outcome: 'success',
      ...source(request),
    });
  }

  /** Test and tooling aid: the current code for a secret (what an authenticator app shows). */
  static currentCode(secret: string, at: Date): Promise<string> {
    return generate({ secret, epoch: Math.floor(at.getTime() / 1000), period: TOTP_PERIOD_S });
  }

  // ---- Recovery codes --------------------------------------------------------------------

  /** Replaces the recovery codes with ten new ones (shown once). */
  async regenerateRecoveryCodes(
    context: AuthContext,
    request: RequestContext,
  ): Promise<RecoveryCodesReply> {
    this.#requireStage(context, 'full');
    const summary = await this.summary(context.user);
    if (!summary.totp && summary.webauthn === 0) {
      throw new AppError('conflict', 'set up an authenticator app or a passkey first');
    }
    return this.#newRecoveryCodes(context, request);
  }

  /** Signs in with a recovery code (each works once). */
  async loginWithRecoveryCode(
    context: AuthContext,
    code: string,
    request: RequestContext,
  ): Promise<SignIn> {
    this.#requireStage(context, 'mfa');
    await this.#deps.auth.checkSecondFactorLock(context);
    const result = await this.#deps.db
      .updateTable('recovery_codes')
      .set({ used_at: this.#deps.clock.now() })
      .where('user_id', '=', context.user.id)
      .where('code_hash', '=', hashRecoveryCode(code))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      await this.#deps.auth.secondFactorFailed(context, 'recovery', request);
      throw new AppError('invalid_credentials');
    }
    await this.#deps.auth.secondFactorPassed(context);
    return this.#deps.auth.completeStage(context, 'recovery', request);
  }

  async #newRecoveryCodes(
    context: AuthContext,
    request: RequestContext,
  ): Promise<RecoveryCodesReply> {
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await this.#deps.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('recovery_codes').where('user_id', '=', context.user.id).execute();
      await tx
        .insertInto('recovery_codes')
        .values(
          codes.map((code) => ({
            user_id: context.user.id,
            code_hash: hashRecoveryCode(code),
            used_at: null,
          })),
        )
        .execute();
    });
    await this.#deps.auth.audit({
      action: 'mfa.recovery_codes_generated',
      actor: { kind: 'user', id: context.user.id },
      target: `user:${context.user.id}`,
      outcome: 'success',
      ...source(request),
      details: { count: codes.length },
    });
    return { recoveryCodes: codes };
  }

  // ---- WebAuthn --------------------------------------------------------------------------

  /** Options to register a new passkey or security key. */
  async webauthnRegistrationOptions(context: AuthContext): Promise<Record<string, unknown>> {
    this.#requireEnrolling(context);
    const existing = await this.#credentials(context.user.id);
    const options = await generateRegistrationOptions({
      rpName: this.#deps.rp.name,
      rpID: this.#deps.rp.id,
      userName: context.user.username,
      userDisplayName: context.user.displayName,
      userID: new TextEncoder().encode(context.user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    await this.#setPending(context, {
      kind: 'webauthn-register',
      challenge: options.challenge,
      expires: this.#now() + PENDING_MS,
    });
    return options as unknown as Record<string, unknown>;
  }

  /** Registers the credential the browser created; completes an `enrol` stage. */
  async registerWebauthn(
    context: AuthContext,
    response: Record<string, unknown>,
    name: string,
    request: RequestContext,
  ): Promise<{ recoveryCodes: string[] | undefined; signIn?: SignIn }> {
    this.#requireEnrolling(context);
    const pending = await this.#pending(context);
    if (pending?.kind !== 'webauthn-register')
      throw new AppError('conflict', 'ask for registration options first');
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response: response as unknown as RegistrationResponseJSON,
        expectedChallenge: pending.challenge,
        expectedOrigin: this.#deps.rp.origin,
        expectedRPID: this.#deps.rp.id,
        requireUserVerification: false,
      });
    } catch (error) {
      verified = {
        verified: false as const,
        reason: error instanceof Error ? error.message : 'invalid',
      };
    }
    await this.#deps.auth.sessions.setPending(context.session.id, null);
    if (!verified.verified) {
      await this.#deps.auth.audit({
        action: 'mfa.webauthn_added',
        actor: { kind: 'user', id: context.user.id },
        target: `user:${context.user.id}`,
        outcome: 'failure',
        ...source(request),
      });
      throw new AppError('invalid_credentials', 'the security key response could not be verified');
    }
    const { credential } = verified.registrationInfo;
    const now = this.#deps.clock.now();
    await this.#deps.db
      .insertInto('webauthn_credentials')
      .values({
        id: credential.id,
        user_id: context.user.id,
        public_key: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
        name_sealed: await this.#deps.vault.seal(name.trim(), credentialContext(credential.id)),
        created_at: now,
        last_used_at: null,
      })
      .execute();
    await this.#deps.auth.audit({
      action: 'mfa.webauthn_added',
      actor: { kind: 'user', id: context.user.id },
      target: `user:${context.user.id}`,
      outcome: 'success',
      ...source(request),
      details: { credential: credential.id.slice(0, 16) },
    });
    // Recovery codes come with the first factor, so a lost key does not lock the user out.
    const summary = await this.summary(context.user);
    const recoveryCodes =
      summary.recoveryCodesLeft === 0
        ? (await this.#newRecoveryCodes(context, request)).recoveryCodes
        : undefined;
    if (context.stage === 'enrol') {
      return {
        recoveryCodes,
        signIn: await this.#deps.auth.completeStage(context, 'webauthn', request),
      };
    }
    return { recoveryCodes };
  }

  /** Options to sign in with a registered credential (`mfa` stage). */
  async webauthnLoginOptions(context: AuthContext): Promise<Record<string, unknown>> {
    this.#requireStage(context, 'mfa');
    const credentials = await this.#credentials(context.user.id);
    if (credentials.length === 0) throw new AppError('not_found', 'no passkey is registered');
    const options = await generateAuthenticationOptions({
      rpID: this.#deps.rp.id,
      allowCredentials: credentials.map((c) => ({ id: c.id, transports: c.transports })),
      userVerification: 'preferred',
    });
    await this.#setPending(context, {
      kind: 'webauthn-login',
      challenge: options.challenge,
      expires: this.#now() + PENDING_MS,
    });
    return options as unknown as Record<string, unknown>;
  }

  /** Checks the browser's assertion and completes the sign-in. */
  async loginWithWebauthn(
    context: AuthContext,
    response: Record<string, unknown>,
    request: RequestContext,
  ): Promise<SignIn> {
    this.#requireStage(context, 'mfa');
    await this.#deps.auth.checkSecondFactorLock(context);
    const pending = await this.#pending(context);
    await this.#deps.auth.sessions.setPending(context.session.id, null);
    const credentialId = typeof response['id'] === 'string' ? response['id'] : '';
    const stored = (await this.#credentials(context.user.id)).find((c) => c.id === credentialId);
    let ok = false;
    let newCounter = 0;
    if (pending?.kind === 'webauthn-login' && stored !== undefined) {
      try {
        const result = await verifyAuthenticationResponse({
          response: response as unknown as AuthenticationResponseJSON,
          expectedChallenge: pending.challenge,
          expectedOrigin: this.#deps.rp.origin,
          expectedRPID: this.#deps.rp.id,
          credential: {
            id: stored.id,
            publicKey: new Uint8Array(stored.publicKey),
            counter: stored.counter,
            transports: stored.transports,
          },
          requireUserVerification: false,
        });
        ok = result.verified;
        newCounter = result.authenticationInfo.newCounter;
      } catch {
        ok = false;
      }
    }
    if (!ok || stored === undefined) {
      await this.#deps.auth.secondFactorFailed(context, 'webauthn', request);
      throw new AppError('invalid_credentials');
    }
    await this.#deps.db
      .updateTable('webauthn_credentials')
      .set({ counter: newCounter, last_used_at: this.#deps.clock.now() })
      .where('id', '=', stored.id)
      .execute();
    await this.#deps.auth.secondFactorPassed(context);
    return this.#deps.auth.completeStage(context, 'webauthn', request);
  }

  /** Removes a passkey (refused if it is the last factor a role needs). */
  async removeWebauthn(
    context: AuthContext,
    credentialId: string,
    request: RequestContext,
  ): Promise<void> {
    this.#requireStage(context, 'full');
    const credentials = await this.#credentials(context.user.id);
    if (!credentials.some((c) => c.id === credentialId))
      throw new AppError('not_found', 'no such passkey');
    const last = credentials.length === 1 && context.user.totpSecretSealed === null;
    await this.#refuseLastFactor(context, last, request, 'mfa.webauthn_removed');
    await this.#deps.db
      .deleteFrom('webauthn_credentials')
      .where('id', '=', credentialId)
      .where('user_id', '=', context.user.id)
      .execute();
    await this.#deps.auth.audit({
      action: 'mfa.webauthn_removed',
      actor: { kind: 'user', id: context.user.id },
      target: `user:${context.user.id}`,
      outcome: 'success',
      ...source(request),
      details: { credential: credentialId.slice(0, 16) },
    });
  }

  // ---- helpers ---------------------------------------------------------------------------

  async #refuseLastFactor(
    context: AuthContext,
    isLast: boolean,
    request: RequestContext,
    action: 'mfa.totp_removed' | 'mfa.webauthn_removed',
  ): Promise<void> {
    if (!isLast || !this.#deps.auth.mfaRequired(context.user.roles)) return;
    await this.#deps.auth.audit({
      action,
      actor: { kind: 'user', id: context.user.id },
      target: `user:${context.user.id}`,
      outcome: 'denied',
      ...source(request),
      details: { reason: 'last_required_factor' },
    });
    throw new AppError(
      'conflict',
      'your role requires a second factor: add another before removing this one',
    );
  }

  async #credentials(
    userId: string,
  ): Promise<
    { id: string; publicKey: Uint8Array; counter: number; transports: AuthenticatorTransport[] }[]
  > {
    const rows = await this.#deps.db
      .selectFrom('webauthn_credentials')
      .select(['id', 'public_key', 'counter', 'transports'])
      .where('user_id', '=', userId)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      publicKey: row.public_key,
      counter: Number(row.counter),
      transports: row.transports as AuthenticatorTransport[],
    }));
  }

  #requireStage(context: AuthContext, stage: 'mfa' | 'full'): void {
    if (context.stage !== stage) {
      throw new AppError(
        stage === 'full' ? 'mfa_required' : 'conflict',
        `this step needs the ${stage} stage`,
      );
    }
  }

  /** Enrolment is for signed-in users and for sessions held back until they enrol. */
  #requireEnrolling(context: AuthContext): void {
    if (context.stage === 'mfa') throw new AppError('mfa_required');
  }

  async #setPending(context: AuthContext, pending: Pending): Promise<void> {
    const sealed = await this.#deps.vault.seal(
      JSON.stringify(pending),
      pendingContext(context.session.id),
    );
    await this.#deps.auth.sessions.setPending(context.session.id, sealed);
  }

  async #pending(context: AuthContext): Promise<Pending | undefined> {
    const sealed = context.session.pendingSealed;
    if (sealed === null) return undefined;
    const pending = JSON.parse(
      await this.#deps.vault.openText(sealed, pendingContext(context.session.id)),
    ) as Pending;
    return pending.expires > this.#now() ? pending : undefined;
  }

  #now(): number {
    return this.#deps.clock.now().getTime();
  }

  #epoch(): number {
    return Math.floor(this.#now() / 1000);
  }
}

/** The RFC 6238 time step a valid code matched (the TOTP result carries it). */
function timeStepOf(result: object): number {
  const step: unknown = (result as { timeStep?: unknown }).timeStep;
  if (typeof step !== 'number') throw new Error('TOTP verification gave no time step');
  return step;
}

/** A new recovery code, `XXXXX-XXXXX` (about 49 bits). */
function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)] ?? 'A';
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** SHA-256 of a recovery code as typed (case and dash do not matter). */
function hashRecoveryCode(code: string): string {
  const normal = code.toUpperCase().replace(/-/g, '');
  return createHash('sha256').update(`recovery\0${normal}`).digest('base64url');
}

function credentialContext(credentialId: string): string {
  return `webauthn:${credentialId}:name`;
}

function pendingContext(sessionId: string): string {
  return `auth-session:${sessionId}:pending`;
}
