/**
 * The part of oidc-provider 9 (a test-only dependency, shipped without types) that the
 * test identity provider uses. Kept minimal: only what TestOidcProvider calls.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** What `findAccount` returns: the account id and a function giving its claims. */
  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>>;
  }

  /** The parts of an interaction (login or consent page) the test provider reads. */
  export interface InteractionDetails {
    uid: string;
    prompt: {
      name: string;
      details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    };
    params: Record<string, unknown> & { client_id: string };
    session?: { accountId: string };
    grantId?: string;
  }

  /** A grant of scopes and claims from one account to one client. */
  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  /** The result that ends an interaction: a login, a consent, or an error. */
  export type InteractionResult =
    | { login: { accountId: string; amr?: string[]; acr?: string; remember?: boolean } }
    | { consent: { grantId: string } }
    | { error: string; error_description?: string };

  /** An OpenID provider: a Koa application. */
  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    Grant: new (init: { accountId: string; clientId: string }) => Grant;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export default Provider;
}

/** oidc-provider's own in-memory storage, one store per call (test-only). */
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** A factory of adapters sharing one fresh in-memory store. */
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => unknown;
}
