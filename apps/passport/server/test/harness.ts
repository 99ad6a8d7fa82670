// A whole passport on one HTTP server for tests: a single validator (core contracts, genesis with
// passport's demo sections) on in-memory PGlite, its API at /chain, and passport mounted by app-kit at
// /passport, with the issuer at /passport/oidc. Logs can be captured to scan them.
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import type { AppServices, MountedApp, SessionUser, SuiteAppInfo } from '@gongxin/app-kit';
import { startAppHarness } from '@gongxin/app-kit/testing';
import type { Wallet } from '@gongxin/client';
import { createCoreRegistry } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import type { Action, CryptoSuite } from '@gongxin/ledger';
import { testAccount } from '@gongxin/ledger/testing';
import type { ChainNode } from '@gongxin/node';
import { createLogger } from '@gongxin/telemetry';
import { createPassportApp } from '../src/app';
import { type PassportKeys, passportKeysFrom } from '../src/crypto';
import { type DemoAccount, demoAccounts } from '../src/demo';
import type { LivenessVerifier } from '../src/liveness';
import type { appRouter } from '../src/router';
import type { PassportRuntime } from '../src/runtime';

export type Caller = ReturnType<typeof appRouter.createCaller>;

export const quiet = { info() {}, warn() {}, error() {}, debug() {} };

export interface Harness {
  url: string;
  issuer: string;
  publicUrl: string;
  server: Server;
  node: ChainNode;
  database: Database;
  services: AppServices;
  mounted: MountedApp;
  suite: CryptoSuite;
  keys: PassportKeys;
  demo: DemoAccount[];
  /** Everything the loggers wrote (JSON lines). */
  logs: string[];
  runtime(): Promise<PassportRuntime>;
  demoAccount(id: string): DemoAccount;
  walletOf(privateKey: Uint8Array | string): Wallet;
  /** Sends actions signed by `privateKey`, waits for the commit and for passport's indexer to apply it. */
  send(
    privateKey: Uint8Array | string,
    actions: Action[],
  ): Promise<{ ok: boolean; height: number; id: string; code?: string }>;
  caller(user: SessionUser | null): Caller;
  userOf(address: string, roles?: string[]): SessionUser;
  close(): Promise<void>;
}

/** Apps the host lists beside passport: the tests sign in to them as first-party clients. */
const listedApps: SuiteAppInfo[] = [
  {
    id: 'welfare',
    path: '/welfare/',
    title: { 'zh-CN': '低保', en: 'Welfare' },
    summary: { 'zh-CN': '低保', en: 'Welfare' },
    audience: 'government',
    roles: [{ id: 'officer', label: { 'zh-CN': '低保经办员', en: 'Welfare officer' } }],
  },
  {
    id: 'food',
    path: '/food/',
    title: { 'zh-CN': '食品溯源', en: 'Food traceability' },
    summary: { 'zh-CN': '食品溯源', en: 'Food traceability' },
    audience: 'everyone',
    roles: [{ id: 'inspector', label: { 'zh-CN': '检验检测', en: 'Inspector' } }],
  },
];

export async function startHarness(
  /** `clock`: the deployment clock (block times and the app's `services.clock`). Default the wall clock. */
  opts: { verifier?: LivenessVerifier; demo?: boolean; clock?: () => number } = {},
): Promise<Harness> {
  const keys = passportKeysFrom(new Uint8Array(32).fill(7));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ name: 'passport-test', level: 'trace', destination: sink });
  const passport = createPassportApp({
    keys,
    signInRateLimit: false,
    ...(opts.verifier && { verifier: opts.verifier }),
  });
  // The chain is created with passport's demo sections (its genesis contribution) either way.
  const h = await startAppHarness(passport, {
    chainId: 'gongxin-passport-test',
    contracts: createCoreRegistry(),
    demo: opts.demo ?? true,
    logger,
    listedApps,
    ...(opts.clock && { clock: opts.clock }),
  });
  const demo = demoAccounts(h.suite);

  return {
    url: h.url,
    issuer: h.issuer,
    publicUrl: h.url,
    server: h.server,
    node: h.node,
    database: h.database,
    services: h.services,
    mounted: h.mounted,
    suite: h.suite,
    keys,
    demo,
    logs,
    runtime: async () => h.app,
    demoAccount(id) {
      const account = demo.find((a) => a.id === id);
      if (!account) throw new Error(`no demo account ${id}`);
      return account;
    },
    walletOf: (privateKey) => h.wallet(privateKey),
    async send(privateKey, actions) {
      const receipt = await h.send(privateKey, actions);
      return {
        ok: receipt.ok,
        height: receipt.height,
        id: receipt.id,
        ...(receipt.code && { code: receipt.code }),
      };
    },
    caller: (user) => h.caller(user),
    userOf: (address, roles = []) => h.userOf(address, roles),
    close: () => h.close(),
  };
}

/** A fresh person key (not in genesis), deterministic per seed. */
export function freshAccount(suite: CryptoSuite, seed: number) {
  return testAccount(suite, 50_000 + seed);
}
