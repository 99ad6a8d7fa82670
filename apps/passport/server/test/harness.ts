// A whole passport on one HTTP server for tests: a single validator (core contracts, genesis with
// passport's demo sections) on in-memory PGlite, its API at /chain, and passport mounted by app-kit at
// /passport, with the issuer at /passport/oidc. Logs can be captured to scan them.
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { type AppServices, type MountedApp, mountApp, type SessionUser } from '@gongxin/app-kit';
import { startTestChainHost, TEST_SUITE_SECRET, testServices } from '@gongxin/app-kit/testing';
import { accountFromPrivateKey, createWallet, type Wallet } from '@gongxin/client';
import { createCoreRegistry } from '@gongxin/contracts';
import { type Database, openDatabase } from '@gongxin/db';
import { type Action, type CryptoSuite, fromHex, type GenesisDocument, type Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount, testValidator } from '@gongxin/ledger/testing';
import type { ChainNode } from '@gongxin/node';
import { createLogger } from '@gongxin/telemetry';
import { createPassportApp } from '../src/app';
import { type PassportKeys, passportKeysFrom } from '../src/crypto';
import { type DemoAccount, demoAccounts, passportGenesis } from '../src/demo';
import type { LivenessVerifier } from '../src/liveness';
import { appRouter } from '../src/router';
import { type PassportRuntime, passportRuntime } from '../src/runtime';
import { createCallerFactory } from '../src/trpc';

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

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

export async function startHarness(
  opts: { verifier?: LivenessVerifier; demo?: boolean } = {},
): Promise<Harness> {
  const suite = getSuite('ed25519-sha256');
  const keys = passportKeysFrom(new Uint8Array(32).fill(7));
  const demo = demoAccounts(suite);
  const sections = passportGenesis(demo, keys);
  const validator = testValidator(suite, 1);
  const genesis: GenesisDocument = {
    chainId: 'gongxin-passport-test',
    suite: suite.id,
    time: Date.now() - 60_000,
    validators: [validator.validator],
    contracts: sections as unknown as Record<string, Value>,
  };

  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ name: 'passport-test', level: 'trace', destination: sink });

  const database = await openDatabase({ memory: true });
  const chain = await startTestChainHost({
    database,
    genesis,
    suite,
    validator: validator.account,
    contracts: createCoreRegistry(),
  });
  const { node, host: app, url, server } = chain;
  const issuer = `${url}/passport/oidc`;
  const base = await testServices({
    database,
    chain: { node, url: `${url}/chain` },
    publicUrl: url,
    issuer,
    suiteSecret: TEST_SUITE_SECRET,
    logger,
  });
  const services: AppServices = { ...base, config: { ...base.config, demo: opts.demo ?? true } };
  const passport = createPassportApp({
    keys,
    signInRateLimit: false,
    ...(opts.verifier && { verifier: opts.verifier }),
  });
  const mounted = await mountApp(passport, services, {
    rateLimits: { api: false, auth: false },
  });
  app.use('/passport', mounted.router);

  const wallets = new Map<string, Wallet>();
  const walletOf = (privateKey: Uint8Array | string) => {
    const key = typeof privateKey === 'string' ? fromHex(privateKey) : privateKey;
    const id = Buffer.from(key).toString('hex');
    let wallet = wallets.get(id);
    if (!wallet) {
      wallet = createWallet(services.chain.client, accountFromPrivateKey(suite, key));
      wallets.set(id, wallet);
    }
    return wallet;
  };

  return {
    url,
    issuer,
    publicUrl: url,
    server,
    node,
    database,
    services,
    mounted,
    suite,
    keys,
    demo,
    logs,
    runtime: () => passportRuntime(services),
    demoAccount(id) {
      const account = demo.find((a) => a.id === id);
      if (!account) throw new Error(`no demo account ${id}`);
      return account;
    },
    walletOf,
    async send(privateKey, actions) {
      const receipt = await walletOf(privateKey).send(actions);
      await mounted.indexer?.waitFor(receipt.height, 20_000);
      return {
        ok: receipt.ok,
        height: receipt.height,
        id: receipt.id,
        ...(receipt.code && { code: receipt.code }),
      };
    },
    caller(user) {
      return createCaller({ user, requestId: 'test', logger, services, ip: '127.0.0.1' });
    },
    userOf(address, roles = []) {
      return {
        did: `did:gx:${address}`,
        address,
        roles: roles.map((r) => {
          const [app = '', role = ''] = r.split(':');
          return { app, role };
        }),
        sessionId: `test:${address}`,
      };
    },
    async close() {
      await mounted.close();
      (base as { close?: () => void }).close?.();
      await chain.close();
      await database.close();
    },
  };
}

/** A fresh person key (not in genesis), deterministic per seed. */
export function freshAccount(suite: CryptoSuite, seed: number) {
  return testAccount(suite, 50_000 + seed);
}
