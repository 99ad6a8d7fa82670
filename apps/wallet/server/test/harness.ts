// The wallet on one HTTP server for tests: a single validator running the real core contracts on in-memory
// PGlite (genesis: an identity authority, alice verified, bob and carol registered, one asset created by
// genesis), the node API at /chain, the wallet mounted by app-kit at /wallet, and a passport-like OpenID
// Provider at /passport/oidc for sign-in. Txs are signed here with the test keys, as a browser would.
import {
  type AppServices,
  type MountedApp,
  mountApp,
  type SessionUser,
  suiteClientFor,
} from '@gongxin/app-kit';
import {
  createTestIssuer,
  startTestChainHost,
  TEST_SUITE_SECRET,
  type TestIssuer,
  testServices,
} from '@gongxin/app-kit/testing';
import { accountFromPrivateKey, createWallet, type Wallet } from '@gongxin/client';
import { createCoreRegistry } from '@gongxin/contracts';
import { type Database, openDatabase } from '@gongxin/db';
import type { Action, CryptoSuite, GenesisDocument, Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { type TestAccount, testAccount, testValidator } from '@gongxin/ledger/testing';
import type { ChainNode } from '@gongxin/node';
import { createLogger } from '@gongxin/telemetry';
import { walletApp } from '../src/app';
import { appRouter } from '../src/router';
import { createCallerFactory } from '../src/trpc';

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

export const hash32 = (n: number) => n.toString(16).padStart(64, '0');

export interface Receipt {
  ok: boolean;
  id: string;
  height: number;
  code?: string;
  events: { contract: string; name: string; attrs: unknown }[];
}

export interface Harness {
  url: string;
  node: ChainNode;
  database: Database;
  services: AppServices;
  mounted: MountedApp;
  issuer: TestIssuer;
  suite: CryptoSuite;
  people: { alice: TestAccount; bob: TestAccount; carol: TestAccount; dave: TestAccount };
  /** Signs with `who`'s key, waits for the commit and for the wallet's indexer to apply the block. */
  send(who: TestAccount, actions: Action[], memo?: string): Promise<Receipt>;
  caller(user: SessionUser | null): Caller;
  userOf(who: TestAccount): SessionUser;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const suite = getSuite('ed25519-sha256');
  const people = {
    alice: testAccount(suite, 1), // verified person: may issue
    bob: testAccount(suite, 2), // registered, not verified
    carol: testAccount(suite, 3), // registered organization, not verified
    dave: testAccount(suite, 4), // never registered
  };
  const authority = testAccount(suite, 10);
  const validator = testValidator(suite, 1);
  const genesis: GenesisDocument = {
    chainId: 'gongxin-wallet-test',
    suite: suite.id,
    time: Date.now() - 60_000,
    validators: [validator.validator],
    contracts: {
      governance: {
        authorities: [{ address: authority.address, name: '身份认证机构', scopes: ['identity'] }],
      },
      identity: {
        accounts: [
          { address: people.alice.address, kind: 'person' },
          { address: people.bob.address, kind: 'person' },
          { address: people.carol.address, kind: 'organization' },
        ],
        attestations: [{ subject: people.alice.address, kind: 'person', idHash: hash32(1) }],
      },
      // An asset the genesis document creates: no event tells the indexer about it.
      assets: {
        assets: [
          {
            symbol: 'GENX',
            name: 'Genesis points',
            decimals: 0,
            policy: 'fixed',
            issuer: people.carol.address,
            balances: { [people.carol.address]: 500, [people.bob.address]: 100 },
          },
        ],
      },
    } as unknown as Record<string, Value>,
  };

  const database = await openDatabase({ memory: true });
  const chain = await startTestChainHost({
    database,
    genesis,
    suite,
    validator: validator.account,
    contracts: createCoreRegistry(),
  });
  const { node, host, url } = chain;
  const issuerUrl = `${url}/passport/oidc`;
  const logger = createLogger({ name: 'wallet-test', level: 'silent' });
  const services = await testServices({
    database,
    chain: { node, url: `${url}/chain` },
    publicUrl: url,
    issuer: issuerUrl,
    suiteSecret: TEST_SUITE_SECRET,
    logger,
  });
  const mounted = await mountApp(walletApp, services, { rateLimits: { api: false, auth: false } });
  host.use('/wallet', mounted.router);
  const issuer = await createTestIssuer({
    issuer: issuerUrl,
    clients: [suiteClientFor('wallet', url, TEST_SUITE_SECRET)],
    account: {
      sub: people.alice.address,
      did: `did:gx:${people.alice.address}`,
      roles: [],
      name: 'Alice',
    },
  });
  host.use(issuer.path, issuer.router);

  const wallets = new Map<string, Wallet>();
  const walletOf = (who: TestAccount) => {
    let wallet = wallets.get(who.address);
    if (!wallet) {
      wallet = createWallet(services.chain.client, accountFromPrivateKey(suite, who.privateKey));
      wallets.set(who.address, wallet);
    }
    return wallet;
  };

  const userOf = (who: TestAccount): SessionUser => ({
    did: `did:gx:${who.address}`,
    address: who.address,
    roles: [],
    sessionId: `test:${who.address}`,
  });

  return {
    url,
    node,
    database,
    services,
    mounted,
    issuer,
    suite,
    people,
    userOf,
    async send(who, actions, memo) {
      const receipt = await walletOf(who).send(actions, memo === undefined ? {} : { memo });
      await mounted.indexer?.waitFor(receipt.height, 20_000);
      return receipt as unknown as Receipt;
    },
    caller(user) {
      return createCaller({ user, requestId: 'test', logger, services, ip: '127.0.0.1' });
    },
    async close() {
      await mounted.close();
      (services as { close?: () => void }).close?.();
      await chain.close();
      await database.close();
    },
  };
}

/** Resolves once the wall clock (and so the next block's time) is past `ms`. */
export async function waitUntil(ms: number): Promise<void> {
  const wait = ms - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
