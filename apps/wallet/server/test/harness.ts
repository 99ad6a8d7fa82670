// The wallet on one HTTP server for tests: a single validator running the real core contracts on in-memory
// PGlite (genesis: an identity authority, alice verified, bob and carol registered, one asset created by
// genesis), the node API at /chain, the wallet mounted by app-kit at /wallet, and a passport-like OpenID
// Provider at /passport/oidc for sign-in. Txs are signed here with the test keys, as a browser would.
import type { AppServices, MountedApp, SessionUser } from '@gongxin/app-kit';
import { startAppHarness, type TestIssuer } from '@gongxin/app-kit/testing';
import type { Database } from '@gongxin/db';
import type { Action, CryptoSuite, Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { type TestAccount, testAccount } from '@gongxin/ledger/testing';
import type { ChainNode } from '@gongxin/node';
import { walletApp } from '../src/app';
import type { appRouter } from '../src/router';

export type Caller = ReturnType<typeof appRouter.createCaller>;

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

/** `clock`: the deployment clock (block times and the app's `services.clock`). Default the wall clock. */
export async function startHarness(opts: { clock?: () => number } = {}): Promise<Harness> {
  const suite = getSuite('ed25519-sha256');
  const people = {
    alice: testAccount(suite, 1), // verified person: may issue
    bob: testAccount(suite, 2), // registered, not verified
    carol: testAccount(suite, 3), // registered organization, not verified
    dave: testAccount(suite, 4), // never registered
  };
  const authority = testAccount(suite, 10);
  const h = await startAppHarness(walletApp, {
    genesis: {
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
    testIssuer: {
      sub: people.alice.address,
      did: `did:gx:${people.alice.address}`,
      roles: [],
      name: 'Alice',
    },
    ...(opts.clock && { clock: opts.clock }),
  });
  const issuer = h.testIssuer!;

  return {
    url: h.url,
    node: h.node,
    database: h.database,
    services: h.services,
    mounted: h.mounted,
    issuer,
    suite: h.suite,
    people,
    userOf: (who) => h.userOf(who.address),
    send: async (who, actions, memo) =>
      (await h.send(who, actions, memo === undefined ? {} : { memo })) as unknown as Receipt,
    caller: (user) => h.caller(user),
    close: () => h.close(),
  };
}
