// Test helpers for apps built on app-kit (not for production): a passport-like OpenID Provider on
// oidc-provider that signs in one configurable account, a cookie-jar fetch that follows redirects by hand,
// and AppServices over an in-process test chain. The provider issues the claims passport must issue
// (`did`, `roles` as "<app>:<role>", `name`) in the ID token, so app tests exercise the real contract.
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChainClient } from '@gongxin/client';
import { loadConfig } from '@gongxin/config';
import type { Database } from '@gongxin/db';
import type { ContractRegistry, CryptoSuite, GenesisDocument } from '@gongxin/ledger';
import { type BlockLimits, ChainNode } from '@gongxin/node';
import { createNodeApi } from '@gongxin/node/api';
import { createLogger, createMetrics, type Logger, type Metrics } from '@gongxin/telemetry';
import express from 'express';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { SuiteClient } from './auth/oidc';
import { randomToken } from './auth/sessions';
import { nodeFeed } from './indexer/feed';
import { SUITE_SCOPES } from './roles';
import type { AppServices, SuiteAppInfo } from './services';

// oidc-provider ships no types. Declared locally (not as an ambient module, which would clash with a
// declaration of its own in passport) and loaded on first use, so importing this module for cookieJar or
// testServices does not load it.
interface OidcGrant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface OidcContext {
  oidc: {
    client?: { clientId: string };
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    provider: OidcProvider;
  };
}
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ prompt: { name: string } }>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: {
    new (init: { clientId: string; accountId: string }): OidcGrant;
    find(id: string): Promise<OidcGrant | undefined>;
  };
}
type OidcProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

async function loadOidcProvider(): Promise<OidcProviderClass> {
  const specifier = 'oidc-provider';
  return ((await import(specifier)) as { default: OidcProviderClass }).default;
}

/** A suite secret for tests (never use a fixed secret anywhere else). */
export const TEST_SUITE_SECRET = 'test-suite-secret-0123456789abcdef-not-for-production';

export interface TestAccountClaims {
  sub: string;
  did: string;
  roles: string[];
  name?: string;
}

export interface TestIssuer {
  /** Mount at `path` (the issuer URL's path): the provider plus its test interaction endpoint. */
  router: express.Router;
  path: string;
  issuer: string;
  /** Who the next sign-in logs in as. */
  account: TestAccountClaims;
  /** The provider's signing key (private JWK), e.g. to sign access tokens in tests. */
  signingKey: JWK & { kid: string };
  /** An RFC 9068 access token for `audience`, signed with the provider's key (or `key`). */
  signAccessToken(
    claims: Partial<TestAccountClaims> & { sub: string },
    opts: { audience: string; expiresInSeconds?: number; key?: CryptoKey; kid?: string; typ?: string },
  ): Promise<string>;
}

export async function createTestIssuer(opts: {
  issuer: string;
  clients: SuiteClient[];
  account: TestAccountClaims;
}): Promise<TestIssuer> {
  const issuerPath = new URL(opts.issuer).pathname.replace(/\/+$/, '');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

  const issuer: TestIssuer = {
    router: express.Router(),
    path: issuerPath,
    issuer: opts.issuer,
    account: opts.account,
    signingKey,
    async signAccessToken(claims, o) {
      const { sub, ...rest } = claims;
      return new SignJWT({ ...rest, client_id: o.audience, scope: SUITE_SCOPES })
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? signingKey.kid, typ: o.typ ?? 'at+jwt' })
        .setIssuer(opts.issuer)
        .setSubject(sub)
        .setAudience(o.audience)
        .setIssuedAt()
        .setJti(randomToken())
        .setExpirationTime(Math.floor(Date.now() / 1000) + (o.expiresInSeconds ?? 300))
        .sign(o.key ?? privateKey);
    },
  };

  const Provider = await loadOidcProvider();
  const provider = new Provider(opts.issuer, {
    clients: opts.clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomToken()] },
    // The claims contract with passport: `gongxin` carries did and roles, `profile` the name, and
    // (conformIdTokenClaims: false) they go into the ID token, where app-kit reads them.
    claims: { openid: ['sub'], profile: ['name'], gongxin: ['did', 'roles'] },
    scopes: ['openid', 'profile', 'gongxin'],
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${issuerPath}/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx: unknown, sub: string) {
      const account = issuer.account;
      if (account.sub !== sub) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, did: account.did, roles: account.roles, name: account.name }),
      };
    },
    // Suite apps are first-party: no consent screen, the grant covers the suite scopes.
    async loadExistingGrant(ctx: OidcContext) {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const existing = ctx.oidc.session?.grantIdFor(clientId);
      if (existing) {
        const grant = await ctx.oidc.provider.Grant.find(existing);
        if (grant) return grant;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope(SUITE_SCOPES);
      await grant.save();
      return grant;
    },
  });

  // The test's "login page": signs in the configured account without asking anything.
  issuer.router.get('/interaction/:uid', async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== 'login') {
      res.status(400).json({ error: `unexpected prompt ${details.prompt.name}` });
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: issuer.account.sub } },
      {
        mergeWithLastSubmission: false,
      },
    );
  });
  issuer.router.use(provider.callback());
  return issuer;
}

export interface JarResponse {
  status: number;
  headers: Headers;
  location: string | null;
  text: () => Promise<string>;
  json: <T = unknown>() => Promise<T>;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/**
 * fetch with a cookie jar (host-only, path-scoped) that never follows redirects by itself, so a test sees
 * every hop; `follow` walks a redirect chain with GETs.
 */
export function cookieJar() {
  const cookies = new Map<string, StoredCookie>();

  const matches = (cookie: StoredCookie, pathname: string) =>
    pathname === cookie.path ||
    pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`);

  function store(line: string, url: URL) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = url.pathname.slice(0, url.pathname.lastIndexOf('/')) || '/';
    let expired = false;
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split('=').map((s) => s.trim());
      if (key.toLowerCase() === 'path' && val.startsWith('/')) path = val;
      if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
      if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
    }
    const key = `${name};${path}`;
    if (expired) cookies.delete(key);
    else cookies.set(key, { name, value, path });
  }

  async function request(url: string | URL, init: RequestInit = {}): Promise<JarResponse> {
    const target = new URL(url);
    const header = [...cookies.values()]
      .filter((c) => matches(c, target.pathname))
      // Longer paths first, as browsers send them.
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const headers = new Headers(init.headers);
    if (header) headers.set('cookie', header);
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) store(line, target);
    const location = res.headers.get('location');
    const body = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      location: location === null ? null : new URL(location, target).href,
      text: async () => body,
      json: async <T>() => JSON.parse(body) as T,
    };
  }

  return {
    fetch: request,
    /** GETs `url` and every redirect after it; returns each response in order. */
    async follow(url: string | URL, maxHops = 12): Promise<JarResponse[]> {
      const hops: JarResponse[] = [];
      let next: string | null = new URL(url).href;
      while (next !== null) {
        if (hops.length >= maxHops) throw new Error(`more than ${maxHops} redirects: ${next}`);
        const res = await request(next);
        hops.push(res);
        next = res.status >= 300 && res.status < 400 ? res.location : null;
      }
      return hops;
    },
    get(name: string): string | undefined {
      return [...cookies.values()].find((c) => c.name === name)?.value;
    },
    set(name: string, value: string, path = '/') {
      cookies.set(`${name};${path}`, { name, value, path });
    },
    delete(name: string) {
      for (const [key, c] of cookies) if (c.name === name) cookies.delete(key);
    },
  };
}

export interface TestServicesOptions {
  database: Database;
  /** A node in this process and the URL of its API (e.g. from `startTestChain`). */
  chain: { node: ChainNode; url: string };
  publicUrl: string;
  issuer: string;
  suiteSecret?: string;
  logger?: Logger;
  metrics?: Metrics;
  /** The suite's mounted apps as the host lists them. Default: none. */
  apps?: readonly SuiteAppInfo[];
}

/** AppServices as the portal builds them, over a test chain; `close()` releases the feed. */
export async function testServices(opts: TestServicesOptions): Promise<AppServices & { close(): void }> {
  const client = createChainClient({ url: opts.chain.url });
  const feed = nodeFeed(opts.chain.node);
  const info = await client.info();
  return {
    config: loadConfig({ NODE_ENV: 'test' }),
    database: opts.database,
    logger:
      opts.logger ??
      createLogger({ name: 'test', level: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'silent' }),
    metrics: opts.metrics ?? createMetrics({ defaultMetrics: false }),
    chain: { client, feed, chainId: info.chainId, suite: info.suite },
    issuer: opts.issuer,
    publicUrl: opts.publicUrl,
    mqttUrl: 'mqtt://127.0.0.1:1883',
    suiteSecret: opts.suiteSecret ?? TEST_SUITE_SECRET,
    suite: { apps: opts.apps ?? [] },
    close: () => feed.close(),
  };
}

export interface TestChainHostOptions {
  database: Database;
  genesis: GenesisDocument;
  suite: CryptoSuite;
  /** The single validator's account (its key signs every block). */
  validator: { publicKey: Uint8Array; privateKey: Uint8Array };
  contracts: ContractRegistry;
  blockLimits?: Partial<BlockLimits>;
}

/** One validator in this process and an HTTP host with its node API at /chain, for app tests to mount on. */
export interface TestChainHost {
  node: ChainNode;
  host: express.Express;
  server: Server;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Stops the API, the HTTP server and the node (not the database, which the caller owns). */
  close(): Promise<void>;
}

const quietNodeLogger = { info() {}, warn() {}, error() {}, debug() {} };

export async function startTestChainHost(opts: TestChainHostOptions): Promise<TestChainHost> {
  const { suite, validator } = opts;
  const node = new ChainNode({
    database: opts.database,
    genesis: opts.genesis,
    suite,
    contracts: opts.contracts,
    signer: { key: validator.publicKey, sign: (bytes) => suite.sign(bytes, validator.privateKey) },
    logger: quietNodeLogger,
    timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, deltaMs: 250 },
    blockLimits: { commitDelayMs: 5, emptyBlockIntervalMs: 60_000, ...opts.blockLimits },
  });
  await node.start();
  const host = express();
  host.disable('x-powered-by');
  const server: Server = host.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const nodeApi = createNodeApi(node, { logger: quietNodeLogger, rateLimit: false });
  host.use('/chain', nodeApi);
  return {
    node,
    host,
    server,
    url,
    async close() {
      nodeApi.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await node.stop();
    },
  };
}
