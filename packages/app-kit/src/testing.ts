// Test helpers for apps built on app-kit (not for production): a passport-like OpenID Provider on
// oidc-provider that signs in one configurable account, a cookie-jar fetch that follows redirects by hand,
// AppServices over an in-process test chain, the one-app harness, and a test file's harness on a deployment
// clock days behind the wall clock (a rehearsal). The provider issues the claims passport must issue
// (`did`, `roles` as "<app>:<role>", `name`) in the ID token, so app tests exercise the real contract.
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  type Account,
  accountFromPrivateKey,
  type CommittedTxJson,
  createChainClient,
  createWallet,
  type Wallet,
} from '@gongxin/client';
import { type Config, loadConfig } from '@gongxin/config';
import { createSuiteRegistry } from '@gongxin/contracts';
import { type Database, type Migrations, openDatabase } from '@gongxin/db';
import { openFreshPostgres, TEST_DATABASE_URL } from '@gongxin/db/testing';
import {
  type Action,
  type ContractRegistry,
  type CryptoSuite,
  fromHex,
  type GenesisDocument,
  type Value,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { type TestAccount, testAccount, testValidator } from '@gongxin/ledger/testing';
import { type BlockLimits, ChainNode } from '@gongxin/node';
import { createNodeApi, holdIdleConnections } from '@gongxin/node/api';
import { createLogger, createMetrics, type Logger, type Metrics } from '@gongxin/telemetry';
import type { AnyTRPCRouter } from '@trpc/server';
import { type SQL, sql } from 'drizzle-orm';
import express from 'express';
import {
  type CryptoKey,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll } from 'vitest';
import { type MountedApp, type MountOptions, mountApp } from './app';
import { type SuiteClient, suiteClientFor } from './auth/oidc';
import { randomToken } from './auth/sessions';
import { nodeFeed } from './indexer/feed';
import type { Indexer } from './indexer/indexer';
import { type AnySuiteApp, mergeGenesis, type SuiteApp, suiteAppInfo, suiteGenesis } from './module';
import { type SessionUser, SUITE_SCOPES } from './roles';
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
  /** Revoke an access token, as passport does when its grant is revoked: introspection says inactive. */
  revokeAccessToken(token: string): void;
}

export async function createTestIssuer(opts: {
  issuer: string;
  clients: SuiteClient[];
  account: TestAccountClaims;
}): Promise<TestIssuer> {
  const issuerPath = new URL(opts.issuer).pathname.replace(/\/+$/, '');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

  const revoked = new Set<string>();
  const issuer: TestIssuer = {
    revokeAccessToken(token) {
      const jti = decodeJwt(token).jti;
      if (jti) revoked.add(jti);
    },
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
  // Token Introspection (RFC 7662) as passport answers it for its JWT access tokens.
  const publicKey = await importJWK(
    (({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest }) => rest)(signingKey),
    'RS256',
  );
  issuer.router.post('/token/introspection', express.urlencoded({ extended: false }), async (req, res) => {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = Buffer.from(basic ?? '', 'base64')
      .toString()
      .split(':')
      .map((part) => decodeURIComponent(part));
    const known = opts.clients.find((c) => c.client_id === id);
    if (!known || known.client_secret !== secret) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    try {
      const { payload } = await jwtVerify(String(req.body?.token ?? ''), publicKey, { issuer: opts.issuer });
      const active = payload.client_id === id && !!payload.jti && !revoked.has(payload.jti);
      res.json(active ? { ...payload, active } : { active: false });
    } catch {
      res.json({ active: false });
    }
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
  /** The validator's clock (block times follow it). Default Date.now. */
  clock?: () => number;
  /** Where the node's warnings and errors are kept. Default: a new one (`TestChainHost.log`). */
  log?: RecentLog;
}

/** One validator in this process and an HTTP host with its node API at /chain, for app tests to mount on. */
export interface TestChainHost {
  node: ChainNode;
  host: express.Express;
  server: Server;
  /** http://127.0.0.1:<port> */
  url: string;
  /** The node's last warnings and errors. */
  log: RecentLog;
  /** Stops the API, the HTTP server and the node (not the database, which the caller owns). */
  close(): Promise<void>;
}

/**
 * The last warnings and errors a test's chain node and apps logged, newest last. Tests run with logs
 * silenced; a wait that times out prints these (`AppHarness.diagnose`) to say why.
 */
export class RecentLog {
  private readonly entries: string[] = [];
  constructor(private readonly max = 60) {}
  add(line: string): void {
    this.entries.push(line.length > 800 ? `${line.slice(0, 800)}…` : line);
    if (this.entries.length > this.max) this.entries.shift();
  }
  get lines(): readonly string[] {
    return this.entries;
  }
}

const fieldsText = (obj: object): string => {
  try {
    return JSON.stringify(obj, (_key, value: unknown) =>
      value instanceof Error ? { error: value.name, message: value.message } : value,
    );
  } catch {
    return String(obj);
  }
};

/** A node logger that drops info and debug and keeps warnings and errors in `log`. */
function recordingNodeLogger(log: RecentLog, source: string) {
  const keep = (level: string) => (obj: object, msg?: string) =>
    log.add(`${new Date().toISOString()} ${source} ${level}: ${msg ?? ''} ${fieldsText(obj)}`);
  return { info() {}, debug() {}, warn: keep('warn'), error: keep('error') };
}

/** A log stream that keeps each line (pino's JSON) in `log`. */
function recentLogStream(log: RecentLog): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) log.add(line.trim());
      done();
    },
  });
}

export async function startTestChainHost(opts: TestChainHostOptions): Promise<TestChainHost> {
  const { suite, validator } = opts;
  const log = opts.log ?? new RecentLog();
  const nodeLogger = recordingNodeLogger(log, 'chain');
  const node = new ChainNode({
    database: opts.database,
    genesis: opts.genesis,
    suite,
    contracts: opts.contracts,
    signer: { key: validator.publicKey, sign: (bytes) => suite.sign(bytes, validator.privateKey) },
    logger: nodeLogger,
    timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, deltaMs: 250 },
    blockLimits: { commitDelayMs: 5, emptyBlockIntervalMs: 60_000, ...opts.blockLimits },
    ...(opts.clock && { clock: opts.clock }),
  });
  await node.start();
  const host = express();
  host.disable('x-powered-by');
  const server: Server = host.listen(0, '127.0.0.1');
  // As the suite's server does: a test's fetch reusing an idle connection must not meet it closing.
  holdIdleConnections(server);
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const nodeApi = createNodeApi(node, { logger: nodeLogger, rateLimit: false });
  host.use('/chain', nodeApi);
  return {
    node,
    host,
    server,
    url,
    log,
    async close() {
      nodeApi.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await node.stop();
    },
  };
}

export interface AppHarnessOptions<TRuntime> {
  /**
   * Genesis sections beyond the apps' own contributions (merged after them), or a function of the test
   * accounts. The apps contribute as on a new demo chain, whatever `demo` says.
   */
  genesis?:
    | Record<string, Value>
    | ((accounts: { account(seed: number): TestAccount }) => Record<string, Value>);
  chainId?: string;
  /**
   * Default: a fresh PostgreSQL database when TEST_DATABASE_URL is set (dropped with the harness; CI runs
   * the apps' suites so), else in-memory PGlite, closed with the harness. A given database is left open.
   */
  database?: Database;
  /** Default: every suite contract (createSuiteRegistry). */
  contracts?: ContractRegistry;
  blockLimits?: Partial<BlockLimits>;
  /**
   * The deployment clock, for tests of deadlines: the validator's block times and the apps'
   * `services.clock` follow it (genesis lies a minute before it), as in the portal. Default the wall clock.
   */
  clock?: () => number;
  /** `config.demo` of the mounted apps. Default: the test configuration's (on). */
  demo?: boolean;
  /** Default: silent (or LOG_LEVEL). */
  logger?: Logger;
  /** The broker the apps' MQTT feeds connect to, e.g. an embedded one's URL. */
  mqttUrl?: string;
  /** Default: rate limits off. */
  mountOptions?: MountOptions;
  /** Passport's app module, mounted at /passport (the issuer) for real sign-in. */
  passport?: AnySuiteApp;
  /** Other apps mounted beside, e.g. the explorer. */
  apps?: readonly AnySuiteApp[];
  /** Apps the host lists in `services.suite.apps` without this harness mounting them. */
  listedApps?: readonly SuiteAppInfo[];
  /** A passport-like test OpenID Provider at /passport/oidc that signs in this account (no passport). */
  testIssuer?: TestAccountClaims;
  /** Mount at once (default) or later with `mount()` (a benchmark builds its chain first). */
  mount?: boolean;
  /** The indexer `send` and `caughtUp` wait for. Default: the one app-kit runs for the app. */
  indexer?: (mounted: MountedApp<TRuntime>) => Indexer | undefined;
}

export interface AppHarness<TRouter extends AnyTRPCRouter, TRuntime> {
  /** http://127.0.0.1:<port>; the app is at `/<id>/`, the node API at `/chain`. */
  url: string;
  issuer: string;
  server: Server;
  node: ChainNode;
  database: Database;
  genesis: GenesisDocument;
  suite: CryptoSuite;
  /** The app's services (its own logger; `suite.apps` lists every mounted app). */
  services: AppServices & { close(): void };
  /** Throws before `mount()` when mounted later. */
  readonly mounted: MountedApp<TRuntime>;
  /** What the app's `setup` built (the mount's `ctx.app`). */
  readonly app: TRuntime;
  /** Passport's mount, when `passport` was given. */
  passport?: MountedApp;
  /** Every mount by app id (the app, passport, `apps`). */
  mounts: Map<string, MountedApp>;
  testIssuer?: TestIssuer;
  mount(): Promise<MountedApp<TRuntime>>;
  account(seed: number): TestAccount;
  /** A wallet per key (nonces are tracked per wallet). */
  wallet(who: TestAccount | Account | Uint8Array | string): Wallet;
  /** Signs with `who`'s key, waits for the commit and for the app's indexer to apply the block. */
  send(
    who: TestAccount | Account | Uint8Array | string,
    actions: Action[],
    opts?: { memo?: string },
  ): Promise<CommittedTxJson>;
  /** Waits until the app's indexer has applied the node's head. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** The last warnings and errors of the chain node and the apps (kept while the logs are silent). */
  recentLog: RecentLog;
  /**
   * Where things stand, for a wait that timed out: the chain's head, health and mempool, the app's
   * indexer, its refused inputs, and the recent warnings and errors.
   */
  diagnose(): Promise<string>;
  /** The app's procedures called directly, as `user` (null: signed out). */
  caller(user: SessionUser | null): ReturnType<TRouter['createCaller']>;
  /** A session user holding `roles` ("<app>:<role>"). */
  userOf(address: string, roles?: string[]): SessionUser;
  close(): Promise<void>;
}

/**
 * One app on one HTTP server for tests: a single validator on a chain whose genesis is the mounted apps'
 * contributions merged with the caller's, its API at /chain, the app mounted by app-kit at `/<id>`,
 * and passport (or a test issuer) at /passport for sign-in.
 */
export async function startAppHarness<TRouter extends AnyTRPCRouter, TRuntime>(
  app: SuiteApp<TRouter, TRuntime>,
  opts: AppHarnessOptions<TRuntime> = {},
): Promise<AppHarness<TRouter, TRuntime>> {
  const suite = getSuite('ed25519-sha256');
  const account = (seed: number) => testAccount(suite, seed);
  const validator = testValidator(suite, 1);
  const others = [...(opts.passport ? [opts.passport] : []), ...(opts.apps ?? [])];
  const all: AnySuiteApp[] = [...others, app];
  // Its own data directory: an app that keeps files (passport's secret) must not write into the checkout.
  const dataDir = mkdtempSync(path.join(tmpdir(), `gongxin-${app.id}-test-`));
  const base = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
  const config: Config = { ...base, ...(opts.demo !== undefined && { demo: opts.demo }) };
  const extra = typeof opts.genesis === 'function' ? opts.genesis({ account }) : (opts.genesis ?? {});
  const contracts = suiteGenesis(all, { config: { ...config, demo: true }, suite });
  const genesis: GenesisDocument = {
    chainId: opts.chainId ?? `gongxin-${app.id}-test`,
    suite: suite.id,
    time: (opts.clock ?? Date.now)() - 60_000,
    validators: [validator.validator],
    contracts: mergeGenesis([contracts, extra]),
  };

  const adminUrl = process.env[TEST_DATABASE_URL];
  const database =
    opts.database ??
    (adminUrl ? await openFreshPostgres(adminUrl, { max: 8 }) : await openDatabase({ memory: true }));
  const recentLog = new RecentLog();
  const chain = await startTestChainHost({
    log: recentLog,
    database,
    genesis,
    suite,
    validator: validator.account,
    contracts: opts.contracts ?? createSuiteRegistry(),
    ...(opts.blockLimits && { blockLimits: opts.blockLimits }),
    ...(opts.clock && { clock: opts.clock }),
  });
  const { node, host, url, server } = chain;
  const issuer = `${url}/passport/oidc`;
  // LOG_LEVEL prints the apps' logs; without it their warnings and errors are kept for `diagnose`.
  const logger =
    opts.logger ??
    (process.env.LOG_LEVEL
      ? createLogger({ name: `${app.id}-test`, level: process.env.LOG_LEVEL as 'info' })
      : createLogger({
          name: `${app.id}-test`,
          level: 'warn',
          format: 'json',
          destination: recentLogStream(recentLog),
        }));
  const shared = await testServices({
    database,
    chain: { node, url: `${url}/chain` },
    publicUrl: url,
    issuer,
    logger,
    apps: [...all.map(suiteAppInfo), ...(opts.listedApps ?? [])],
  });
  shared.config = config;
  if (opts.mqttUrl) shared.mqttUrl = opts.mqttUrl;
  if (opts.clock) shared.clock = opts.clock;
  const servicesOf = (id: string) => ({ ...shared, logger: logger.child({ app: id }) });
  const mountOptions: MountOptions = { rateLimits: { api: false, auth: false }, ...opts.mountOptions };
  const mounts = new Map<string, MountedApp>();
  const closers: (() => Promise<unknown>)[] = [];

  let testIssuer: TestIssuer | undefined;
  if (opts.testIssuer) {
    testIssuer = await createTestIssuer({
      issuer,
      clients: all.map((a) => suiteClientFor(a.id, url, shared.suiteSecret)),
      account: opts.testIssuer,
    });
    host.use(testIssuer.path, testIssuer.router);
  }
  for (const other of others) {
    const mounted = await mountApp(other, servicesOf(other.id), mountOptions);
    closers.push(() => mounted.close());
    host.use(`/${other.id}`, mounted.router);
    mounts.set(other.id, mounted);
  }

  const services: AppServices & { close(): void } = { ...servicesOf(app.id), close: shared.close };
  let mounted: MountedApp<TRuntime> | undefined;
  const mountIt = async () => {
    if (mounted) return mounted;
    const m = await mountApp(app, services, mountOptions);
    closers.push(() => m.close());
    host.use(`/${app.id}`, m.router);
    mounts.set(app.id, m as MountedApp);
    mounted = m;
    return m;
  };
  const mountedApp = () => {
    if (!mounted) throw new Error(`${app.id} is not mounted yet: call mount()`);
    return mounted;
  };
  const indexerOf = () => (opts.indexer ? opts.indexer(mountedApp()) : mountedApp().indexer);

  const wallets = new Map<string, Wallet>();
  const wallet = (who: TestAccount | Account | Uint8Array | string) => {
    const key = typeof who === 'string' ? fromHex(who) : who instanceof Uint8Array ? who : who.privateKey;
    const id = Buffer.from(key).toString('hex');
    let w = wallets.get(id);
    if (!w) {
      w = createWallet(shared.chain.client, accountFromPrivateKey(suite, key));
      wallets.set(id, w);
    }
    return w;
  };

  const harness: AppHarness<TRouter, TRuntime> = {
    url,
    issuer,
    server,
    node,
    database,
    genesis,
    suite,
    services,
    get mounted() {
      return mountedApp();
    },
    get app() {
      return mountedApp().app;
    },
    ...(opts.passport && { passport: mounts.get(opts.passport.id) }),
    mounts,
    ...(testIssuer && { testIssuer }),
    mount: mountIt,
    account,
    wallet,
    async send(who, actions, o = {}) {
      const receipt = await wallet(who).send(actions, o.memo === undefined ? {} : { memo: o.memo });
      // A minute, as a test gets: a hang detector, not a timing. The first block after a large genesis
      // (the welfare cycle's 2,000 households) took over 20 s to index with three CI lanes on two cores.
      await indexerOf()?.waitFor(receipt.height, 60_000);
      return receipt;
    },
    async caughtUp(timeoutMs = 30_000) {
      await indexerOf()?.waitFor(node.head.height, timeoutMs);
    },
    recentLog,
    async diagnose() {
      const health = node.health();
      const indexer = mounted ? indexerOf() : undefined;
      const refused = (
        await services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total').catch(() => '')
      )
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));
      return [
        `chain: head ${node.head.height}, ${health.ok ? 'healthy' : `problems ${JSON.stringify(health.problems)}`}, deciding ${JSON.stringify(health.deciding)}, mempool ${health.mempool.size} (${health.mempool.executable} executable, ${health.mempool.future} future)`,
        indexer
          ? `${app.id} indexer: height ${indexer.height}, ${indexer.running ? 'running' : 'stopped'}${indexer.error ? `, failed: ${JSON.stringify(indexer.error)}` : ''}`
          : `${app.id}: no indexer`,
        `refused inputs: ${refused.length ? refused.join('; ') : 'none'}`,
        `recent warnings and errors (${recentLog.lines.length}):`,
        ...recentLog.lines.map((l) => `  ${l}`),
      ].join('\n');
    },
    caller(user) {
      return app.router.createCaller({
        user,
        requestId: 'test',
        logger: services.logger,
        services,
        ip: '127.0.0.1',
        app: mountedApp().app,
      }) as ReturnType<TRouter['createCaller']>;
    },
    userOf(address, roles = []) {
      return {
        did: `did:gx:${address}`,
        address,
        roles: roles.map((r) => {
          const [a = '', role = ''] = r.split(':');
          return { app: a, role };
        }),
        sessionId: `test:${address}`,
      };
    },
    async close() {
      for (const stop of closers.splice(0).reverse()) await stop();
      shared.close();
      await chain.close();
      if (!opts.database) await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (opts.mount ?? true) {
    try {
      await mountIt();
    } catch (error) {
      await harness.close();
      throw error;
    }
  }
  return harness;
}
/** How far a rehearsal's deployment clock lies behind the wall clock in the apps' clock tests: ten days. */
export const REHEARSAL_BEHIND_MS = 10 * 86_400_000;

export interface RehearsalClock<H> {
  /** The deployment clock: `behindMs` behind the wall clock, at its pace. */
  clock: () => number;
  behindMs: number;
  /** What `start` returned; read it inside the tests (it is there from the file's `beforeAll` on). */
  readonly harness: H;
}

/**
 * A test file on a deployment clock days behind the wall clock, as a rehearsal started with CLOCK_START
 * runs: `start(clock)` brings up the app's harness on it before the file's tests, `close` stops it after.
 * A time the app takes from the wall clock instead of `clockOf(services)` then lies ten days after the
 * block times and the deployment clock's now, which is what the tests check. Call it at the top of a file.
 */
export function onRehearsalClock<H>(
  start: (clock: () => number, behindMs: number) => Promise<H>,
  close: (harness: H) => Promise<unknown>,
  behindMs = REHEARSAL_BEHIND_MS,
): RehearsalClock<H> {
  const clock = () => Date.now() - behindMs;
  let started: { harness: H } | undefined;
  beforeAll(async () => {
    started = { harness: await start(clock, behindMs) };
  });
  afterAll(async () => {
    if (started) await close(started.harness);
    started = undefined;
  });
  return {
    clock,
    behindMs,
    get harness() {
      if (!started) throw new Error('the harness is not started: read it inside a test, not at load');
      return started.harness;
    },
  };
}

/**
 * A schema's migrations up to, not including, the one tagged `tag` (e.g. `0002_pending`), copied to a
 * folder of their own: migrating a database with them makes it as an earlier version left it, for a
 * test of a later migration on a database already holding data. `remove` deletes the copy.
 */
export function migrationsBefore(m: Migrations, tag: string): Migrations & { remove(): void } {
  const folder = mkdtempSync(path.join(tmpdir(), `migrations-${m.name}-`));
  cpSync(m.folder, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`migrations of ${m.name}: no migration tagged ${tag}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(journal));
  return { name: m.name, folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/**
 * Runs `query` under EXPLAIN ANALYZE and answers how many rows its scans read from each table (rows
 * returned plus rows a filter removed, over every loop), by table name: what a query costs as the tables
 * grow, on PGlite and PostgreSQL alike.
 */
export async function rowsRead(database: Database, query: SQL): Promise<Record<string, number>> {
  const [row] = await database.query<{ 'QUERY PLAN': unknown }>(sql`explain (analyze, format json) ${query}`);
  const plan = row?.['QUERY PLAN'];
  const [top] = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: PlanNode }[];
  const read: Record<string, number> = {};
  const walk = (node: PlanNode) => {
    const table = node['Relation Name'];
    if (table) {
      const rows =
        (node['Actual Rows'] ?? 0) +
        (node['Rows Removed by Filter'] ?? 0) +
        (node['Rows Removed by Index Recheck'] ?? 0);
      read[table] = (read[table] ?? 0) + rows * (node['Actual Loops'] ?? 1);
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  if (top) walk(top.Plan);
  return read;
}

/** Sessions as the login callback opens them, for tests that need a signed-in person without passport. */
export { createSessionStore } from './auth/sessions';
