// The re-issue (补发) of failed and returned payments over real HTTP, with passport sessions: malformed
// JSON, wrong types, empty and over-long fields, positions as floats or negative, unknown and paid
// payments, no session and a role that may not call it are each a 4xx naming what is wrong, counted in
// /metrics, and leave no prepared batch or link behind; a repeated request prepares the same batch again.
// Then the signed re-issue on the node's API: a forged, a missing and a stranger's signature, amounts as
// floats or negative, and a replay are refused with a typed error, and no payment is written for them.
import { cookieJar } from '@gongxin/app-kit/testing';
import { type Action, encodeCanonical, signTx, toHex } from '@gongxin/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payments, preparedBatches, reissueLinks } from '../src/db/schema';
import { periodAt, seedWelfareDemo } from '../src/demo';
import { DEMO_AREA } from '../src/people';
import { demoSingle, disburseAction, startWelfareHarness, type WelfareHarness, w } from './harness';

let h: WelfareHarness;
let period: string;
let first: string;
const area = DEMO_AREA.code;
const finance = cookieJar();
const caseworker = cookieJar();

async function signIn(jar: ReturnType<typeof cookieJar>, id: string) {
  const p = h.person(id);
  h.testIssuer!.account = {
    sub: p.address,
    did: `did:gx:${p.address}`,
    roles: p.role ? [`welfare:${p.role}`] : [],
  };
  await jar.follow(`${h.url}/welfare/auth/login`);
  expect(jar.get('gx_welfare'), id).toBeTruthy();
}

beforeAll(async () => {
  h = await startWelfareHarness({
    genesis: {
      welfare: {
        households: [demoSingle('mu-laoshan', 300_000), demoSingle('li-wenfang', 240_000)],
      },
    },
    testIssuer: { sub: 'nobody', did: 'did:gx:nobody', roles: [] },
  });
  await seedWelfareDemo(h.services);
  await h.caughtUp();
  period = periodAt(h.now());
  const prepared = await h.callerAs('finance').cycles.prepare({ area, period });
  const sent = await h.as('finance', [disburseAction(prepared[0]!)]);
  first = (sent.events.find((e) => e.name === 'batchSent')!.attrs as { id: string }).id;
  await h.as('finance', [
    w('recordOutcomes', {
      batch: first,
      outcomes: [
        { index: 0, outcome: 'paid' },
        { index: 1, outcome: 'returned', reason: '账户已销户' },
      ],
    }),
  ]);
  await signIn(finance, 'finance');
  await signIn(caseworker, 'he-caseworker');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const reissueUrl = () => `${h.url}/welfare/api/trpc/cycles.reissue`;
const post = (jar: ReturnType<typeof cookieJar>, body: string) =>
  jar.fetch(reissueUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });

async function offChainRows() {
  const db = h.database.db;
  const [batches, links] = await Promise.all([
    db.select().from(preparedBatches),
    db.select().from(reissueLinks),
  ]);
  return { batches: batches.length, links: links.length };
}

async function badInputCount() {
  const text = await h.services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
  let n = 0;
  for (const m of text.matchAll(/\{source="api",reason="(?:bad_request|parse_error|malformed)"\} (\d+)/g))
    n += Number(m[1]);
  return n;
}

interface Case {
  what: string;
  body: () => unknown;
  /** Sent as text as it is (malformed JSON). */
  raw?: string;
  as?: 'finance' | 'caseworker' | 'nobody';
  status: number;
  says: RegExp;
}

const ref = (batch: string, position: unknown) => ({ batch, position });
const CASES: Case[] = [
  { what: 'malformed JSON', body: () => null, raw: '{"area":"530702",', status: 400, says: /JSON/ },
  { what: 'no input', body: () => null, status: 400, says: /object/ },
  { what: 'an area as a number', body: () => ({ area: 530702, period }), status: 400, says: /string/ },
  { what: 'an empty area', body: () => ({ area: '', period }), status: 400, says: /area/ },
  { what: 'an over-long area', body: () => ({ area: '5'.repeat(5000), period }), status: 400, says: /area/ },
  {
    what: 'a period that is no month',
    body: () => ({ area, period: '2026-13' }),
    status: 400,
    says: /period/,
  },
  {
    what: 'no payments named',
    body: () => ({ area, period, payments: [] }),
    status: 400,
    says: /payments|1/,
  },
  {
    what: 'a position as a float',
    body: () => ({ area, period, payments: [ref(first, 1.5)] }),
    status: 400,
    says: /integer|int/,
  },
  {
    what: 'a negative position',
    body: () => ({ area, period, payments: [ref(first, -1)] }),
    status: 400,
    says: />=\s*0|too small|0/,
  },
  {
    what: 'a position as text',
    body: () => ({ area, period, payments: [ref(first, '1')] }),
    status: 400,
    says: /number/,
  },
  {
    what: 'a batch id that is no id',
    body: () => ({ area, period, payments: [ref('g'.repeat(64), 1)] }),
    status: 400,
    says: /batch|hex|id/,
  },
  {
    what: 'an unknown batch',
    body: () => ({ area, period, payments: [ref('ab'.repeat(32), 0)] }),
    status: 400,
    says: /payments: payment 0 of batch abab.* is not a failed or returned payment/,
  },
  {
    what: 'a paid payment',
    body: () => ({ area, period, payments: [ref(first, 0)] }),
    status: 400,
    says: /payment 0 of batch .* is not a failed or returned payment/,
  },
  {
    what: 'a field it does not take',
    body: () => ({ area, period, amount: '100' }),
    status: 400,
    says: /amount/,
  },
  { what: 'no session', body: () => ({ area, period }), as: 'nobody', status: 401, says: /sign in/ },
  {
    what: 'a caseworker (not the treasurer)',
    body: () => ({ area, period }),
    as: 'caseworker',
    status: 403,
    says: /welfare:treasurer/,
  },
];

describe('cycles.reissue over HTTP: bad input', () => {
  it.each(CASES)('$what: $status naming it, nothing prepared', async (c) => {
    const before = await offChainRows();
    const counted = await badInputCount();
    const jar = c.as === 'caseworker' ? caseworker : c.as === 'nobody' ? cookieJar() : finance;
    const res = await post(jar, c.raw ?? JSON.stringify(c.body()));
    const text = await res.text();
    expect(res.status, text).toBe(c.status);
    expect(JSON.parse(text).error.message, text).toMatch(c.says);
    expect(await offChainRows()).toEqual(before);
    if (c.status === 400) expect(await badInputCount()).toBe(counted + 1);
    const requests = await h.services.metrics.registry.getSingleMetricAsString('gongxin_http_requests_total');
    if (!c.raw)
      expect(requests).toMatch(new RegExp(`route="/welfare/api/trpc/cycles.reissue",status="${c.status}"`));
  });

  it('a repeated request prepares the same batch, and nothing twice', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(finance, JSON.stringify({ area, period }));
      expect(res.status).toBe(200);
      answers.push((await res.json<{ result: { data: { batches: { root: string }[] } } }>()).result.data);
    }
    expect(new Set(answers.map((a) => a.batches.map((b) => b.root).join()))).toHaveLength(1);
    const rows = await offChainRows();
    expect(rows).toEqual({ batches: 2, links: 1 });
  });
});

describe('the signed re-issue on the node API: refused with a typed error, nothing written', () => {
  let action: Action;
  beforeAll(async () => {
    const { batches } = await h.callerAs('finance').cycles.reissue({ area, period });
    action = disburseAction(batches[0]!);
  });

  const nonceOf = async (address: string) =>
    ((await (await fetch(`${h.url}/chain/v1/accounts/${address}`)).json()) as { nonce: number }).nonce;

  async function signed(id: string, actions: Action[], nonce?: number) {
    const p = h.person(id);
    const key = p.account.privateKey;
    return signTx(
      h.suite,
      {
        chainId: h.genesis.chainId,
        from: p.address,
        key: h.suite.publicKeyFromPrivate(key),
        nonce: nonce ?? (await nonceOf(p.address)),
        actions,
      },
      key,
    );
  }

  async function submit(bytes: Uint8Array) {
    const res = await fetch(`${h.url}/chain/v1/txs?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tx: toHex(bytes) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const paymentRows = async () => (await h.database.db.select().from(payments)).length;
  const withAmount = (amount: unknown): Action => {
    const p = action.params as { payments: Record<string, unknown>[] };
    return {
      ...action,
      params: { ...action.params, payments: [{ ...p.payments[0]!, amount }] },
    } as unknown as Action;
  };

  it.each([
    {
      what: 'a forged signature',
      tx: async () => {
        const t = await signed('finance', [action]);
        const sig = new Uint8Array(t.signature);
        sig[0]! ^= 0xff;
        return { bytes: reencode(t.bodyBytes, sig), code: /bad_signature/ };
      },
    },
    {
      what: 'no signature',
      tx: async () => {
        const t = await signed('finance', [action]);
        return { bytes: reencode(t.bodyBytes, new Uint8Array(0)), code: /malformed/ };
      },
    },
    {
      what: 'another account’s key (a caseworker)',
      tx: async () => ({ bytes: (await signed('he-caseworker', [action])).bytes, code: /not_authorized/ }),
    },
    {
      // The wire form has no floats (the encoder refuses one): a fraction can only come as text.
      what: 'an amount as a fraction in text',
      tx: async () => ({
        bytes: (await signed('finance', [withAmount('550.5')])).bytes,
        code: /invalid|param/,
      }),
    },
    {
      what: 'a negative amount',
      tx: async () => ({
        bytes: (await signed('finance', [withAmount(-100n)])).bytes,
        code: /invalid|param/,
      }),
    },
  ])('$what', async ({ tx }) => {
    const before = await paymentRows();
    const { bytes, code } = await tx();
    const { status, body } = await submit(bytes);
    expect(status).toBeLessThan(500);
    const refusal = status === 200 ? body : (body.error as Record<string, unknown>);
    expect(status === 200 ? body.ok : false, JSON.stringify(body)).toBe(false);
    expect(String(refusal.code), JSON.stringify(body)).toMatch(code);
    await h.caughtUp();
    expect(await paymentRows()).toBe(before);
  });

  it('a replay of the accepted re-issue answers its receipt again and pays nothing twice', async () => {
    const t = await signed('finance', [action]);
    const accepted = await submit(t.bytes);
    expect(accepted.status).toBe(200);
    expect(accepted.body.ok, JSON.stringify(accepted.body)).toBe(true);
    await h.caughtUp();
    const after = await paymentRows();
    // The node knows the tx: it answers the committed receipt, it does not run it again.
    const replay = await submit(t.bytes);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: accepted.body.id, height: accepted.body.height, ok: true });
    // The same payments under a new nonce: the contract pays no household above what was approved, and
    // records the attempt as an alert instead of a batch.
    const again = await submit((await signed('finance', [action])).bytes);
    expect(again.status).toBe(200);
    const names = (again.body.events as { name: string }[]).map((e) => e.name);
    expect(names).toContain('alertRaised');
    expect(names).not.toContain('batchSent');
    await h.caughtUp();
    expect(await paymentRows()).toBe(after);
  });
});

function reencode(body: Uint8Array, sig: Uint8Array): Uint8Array {
  return encodeCanonical({ body, sig });
}
