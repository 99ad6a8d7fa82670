// oidc-provider 9 ships no type declarations, and an ambient `declare module` would collide with the one
// app-kit's test helpers carry. So passport loads the module untyped (below) and types the part of its API
// it uses here.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type AnyObject = Record<string, unknown>;

export interface KoaContextWithOIDC {
  oidc: {
    client?: { clientId: string; clientName?: string; [key: string]: unknown };
    session?: { accountId?: string; grantIdFor(clientId: string, value?: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    params?: AnyObject;
    provider: Provider;
    [key: string]: unknown;
  };
  host: string;
  href: string;
  body: unknown;
  type: string;
  status: number;
  [key: string]: unknown;
}

export interface InteractionDetails {
  uid: string;
  prompt: { name: string; reasons: string[]; details: AnyObject };
  params: AnyObject & { client_id?: string; scope?: string; redirect_uri?: string };
  session?: { accountId?: string; uid?: string };
  grantId?: string;
  lastSubmission?: AnyObject;
  returnTo: string;
  exp: number;
}

export interface GrantInstance {
  jti: string;
  accountId: string;
  clientId: string;
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  getOIDCScope(): string;
  save(ttl?: number): Promise<string>;
  destroy(): Promise<void>;
}

export interface GrantConstructor {
  new (properties: { accountId: string; clientId: string }): GrantInstance;
  find(id: string): Promise<GrantInstance | undefined>;
}

export interface InteractionModel {
  find(uid: string): Promise<(InteractionDetails & { destroy(): Promise<void> }) | undefined>;
}

export interface Adapter {
  upsert(id: string, payload: AnyObject, expiresIn?: number): Promise<void>;
  find(id: string): Promise<AnyObject | undefined>;
  findByUserCode(userCode: string): Promise<AnyObject | undefined>;
  findByUid(uid: string): Promise<AnyObject | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export type Configuration = AnyObject;

export interface Provider {
  readonly issuer: string;
  proxy: boolean;
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionResult(
    req: IncomingMessage,
    res: ServerResponse,
    result: AnyObject,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<string>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: AnyObject,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): this;
  readonly Grant: GrantConstructor;
  readonly Interaction: InteractionModel;
  readonly Session: { find(id: string): Promise<{ destroy(): Promise<void> } | undefined> };
  readonly Client: { find(id: string): Promise<{ clientId: string; clientName?: string } | undefined> };
}

export interface OidcProviderModule {
  default: new (issuer: string, configuration?: Configuration) => Provider;
  errors: { InvalidTarget: new (description?: string) => Error };
}

// A specifier in a variable keeps TypeScript from looking for (clashing) declarations of the module.
const specifier = 'oidc-provider';
export const oidcProvider = (await import(specifier)) as OidcProviderModule;
