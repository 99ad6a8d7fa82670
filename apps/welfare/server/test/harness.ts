// The welfare app under app-kit's test harness: one validator on in-memory PGlite (or PostgreSQL when
// TEST_DATABASE_URL is set) whose genesis is the app's own contribution (demo staff with their roles,
// citizens, the county fund), the app mounted at /welfare. The validator's clock can be moved forward,
// so the 公示 notice period and next month's standard are reached without waiting.
import type { AppHarness, TestAccountClaims } from '@gongxin/app-kit/testing';
import { startAppHarness } from '@gongxin/app-kit/testing';
import type { Database } from '@gongxin/db';
import type { Action, Value } from '@gongxin/ledger';
import { createWelfareApp } from '../src/app';
import { DEMO_AREA, demoPeople, demoPerson, idHashOf, type PersonAccount } from '../src/people';
import type { appRouter } from '../src/router';
import type { WelfareRuntime } from '../src/runtime';

export type WelfareHarness = AppHarness<typeof appRouter, WelfareRuntime> & {
  people: PersonAccount[];
  person(id: string): PersonAccount;
  /** Signs as a demo person, waits for the commit and the welfare indexer; throws when refused. */
  as(id: string, actions: Action[]): ReturnType<AppHarness<typeof appRouter, WelfareRuntime>['send']>;
  /** The procedures as a demo person holding their welfare role (if any). */
  callerAs(id: string): ReturnType<(typeof appRouter)['createCaller']>;
  /** Moves the validator's clock forward. */
  advance(ms: number): void;
  /** The validator's current time. */
  now(): number;
};

export async function startWelfareHarness(
  opts: {
    database?: Database;
    seedDemo?: boolean;
    genesis?: Record<string, Value>;
    /** Where the clock starts relative to the wall clock, e.g. days before it (a rehearsal). Default 0. */
    offsetMs?: number;
    /** Who a sign-in at /welfare/auth/login becomes (for tests over HTTP with a session). */
    testIssuer?: TestAccountClaims;
  } = {},
): Promise<WelfareHarness> {
  let offset = opts.offsetMs ?? 0;
  const now = () => Date.now() + offset;
  const h = await startAppHarness(createWelfareApp({ seedDemo: opts.seedDemo ?? false }), {
    ...(opts.database && { database: opts.database }),
    ...(opts.genesis && { genesis: opts.genesis }),
    clock: now,
    ...(opts.testIssuer && { testIssuer: opts.testIssuer }),
  });
  const people = demoPeople(h.suite);
  const person = (id: string) => demoPerson(people, id);
  return Object.assign(h, {
    people,
    person,
    as: async (id: string, actions: Action[]) => {
      const r = await h.send(person(id).account, actions);
      if (!r.ok) throw new Error(`${actions[0]?.name} refused: ${r.code} ${r.message}`);
      return r;
    },
    callerAs: (id: string) => {
      const p = person(id);
      return h.caller(h.userOf(p.address, p.role ? [`welfare:${p.role}`] : []));
    },
    advance: (ms: number) => {
      offset += ms;
    },
    now,
  });
}

/** A demo person as a genesis household member (ID hashed with the test deployment's `caseload` secret). */
function demoMember(id: string): { idHash: string; did: string; account: string } {
  const p = demoPerson(demoPeople(), id);
  return { idHash: idHashOf('caseload', p.idNumber!), did: p.address, account: p.address };
}

/** A genesis household of one demo person in the demo area, with its declared annual income (fen). */
export function demoSingle(id: string, annualIncome: number) {
  return { area: DEMO_AREA.code, category: 'single', members: [demoMember(id)], inputs: { annualIncome } };
}

export const w = (name: string, params: Record<string, unknown>): Action =>
  ({ contract: 'welfare', name, params }) as unknown as Action;

/** A prepared disburse action with its amounts (decimal strings in the answer) as integers again. */
export const disburseAction = (prepared: {
  action: { params: { payments: { amount: string }[] } };
}): Action => {
  const a = prepared.action as { params: { payments: { amount: string }[] } };
  return {
    ...a,
    params: { ...a.params, payments: a.params.payments.map((p) => ({ ...p, amount: BigInt(p.amount) })) },
  } as unknown as Action;
};
