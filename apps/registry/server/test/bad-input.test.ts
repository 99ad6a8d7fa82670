// Filings (变更 change, 注销 deregistration, 合并 merger) as the enterprise page signs them, sent to the node's
// API as a browser does, with what no page would send: wrong types, empty and over-long text, capital as a
// fraction or negative, unknown enterprises and successors, another representative's enterprise, a forged
// or missing signature, a replay, a second ending while one waits. Each is refused with a typed error
// naming what is wrong and leaves the register as it was; the app's reads of them answer a 4xx in words.
import { registryKeys } from '@gongxin/contracts';
import { type Action, encodeCanonical, signTx, toHex } from '@gongxin/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filings } from '../src/db/schema';
import { DEMO_ENTERPRISES, demoUscc, seedRegistryDemo } from '../src/demo';
import { type RegistryHarness, startRegistryHarness } from './harness';

let h: RegistryHarness;
const [pengcheng, nanshan, tianhe] = DEMO_ENTERPRISES;
const unknownUscc = demoUscc('440300', 'MA99XY99');

beforeAll(async () => {
  h = await startRegistryHarness();
  await seedRegistryDemo(h.services);
  await h.caughtUp();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const reg = (name: string, params: Record<string, unknown>) =>
  ({ contract: 'registry', name, params }) as unknown as Action;

const nonceOf = async (address: string) =>
  ((await (await fetch(`${h.url}/chain/v1/accounts/${address}`)).json()) as { nonce: number }).nonce;

async function signed(partyId: string, actions: Action[]) {
  const { account, address } = h.party(partyId);
  return signTx(
    h.suite,
    {
      chainId: h.genesis.chainId,
      from: address,
      key: h.suite.publicKeyFromPrivate(account.privateKey),
      nonce: await nonceOf(address),
      actions,
    },
    account.privateKey,
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

/** What a refusal may change: nothing of the register, no filing in the read model. */
async function register() {
  await h.caughtUp();
  const state = await Promise.all(
    [pengcheng!, nanshan!, tianhe!].map(async (e) =>
      (await fetch(`${h.url}/chain/v1/state/${registryKeys.enterprise(e.uscc)}`)).json(),
    ),
  );
  const rows = await h.database.db.select().from(filings);
  return { state, filings: rows.length };
}

const dereg = (p: Record<string, unknown>) =>
  reg('fileDeregistration', { uscc: nanshan!.uscc, effectiveOn: '2026-03-01', reason: '决议解散', ...p });
const change = (p: Record<string, unknown>) =>
  reg('fileChange', { uscc: pengcheng!.uscc, effectiveOn: '2026-03-01', reason: '增资', ...p });

interface Case {
  what: string;
  action: () => Action;
  by?: string;
  code: string;
  says: RegExp;
}

const CASES: Case[] = [
  {
    what: 'a USCC as a number',
    action: () => dereg({ uscc: 914403007589 }),
    code: 'invalid_params',
    says: /uscc/,
  },
  { what: 'an empty USCC', action: () => dereg({ uscc: '' }), code: 'invalid_params', says: /uscc/ },
  {
    what: 'an over-long USCC',
    action: () => dereg({ uscc: '9'.repeat(5000) }),
    code: 'invalid_params',
    says: /uscc/,
  },
  { what: 'an empty reason', action: () => dereg({ reason: '' }), code: 'invalid_params', says: /reason/ },
  {
    what: 'an over-long reason',
    action: () => dereg({ reason: '解'.repeat(300) }),
    code: 'invalid_params',
    says: /reason/,
  },
  {
    what: 'no such day',
    action: () => dereg({ effectiveOn: '2026-02-30' }),
    code: 'invalid_params',
    says: /effectiveOn/,
  },
  {
    what: 'a date as a number',
    action: () => dereg({ effectiveOn: 20260301 }),
    code: 'invalid_params',
    says: /effectiveOn/,
  },
  {
    what: 'a field it does not take',
    action: () => dereg({ capital: 0n }),
    code: 'invalid_params',
    says: /capital/,
  },
  {
    what: 'an unknown enterprise',
    action: () => dereg({ uscc: unknownUscc }),
    code: 'not_found',
    says: /no enterprise/,
  },
  {
    what: 'another representative’s enterprise',
    action: () => dereg({ uscc: tianhe!.uscc }),
    code: 'not_authorized',
    says: /legal representative/,
  },
  {
    what: 'a merger into itself',
    action: () => dereg({ successor: nanshan!.uscc }),
    code: 'not_allowed',
    says: /itself/,
  },
  {
    what: 'a merger into an unknown enterprise',
    action: () => dereg({ successor: unknownUscc }),
    code: 'not_found',
    says: /successor/,
  },
  {
    what: 'a successor that is no USCC',
    action: () => dereg({ successor: 'x' }),
    code: 'invalid_params',
    says: /successor/,
  },
  {
    what: 'a change of nothing',
    action: () => change({ changes: {} }),
    code: 'invalid_params',
    says: /at least one/,
  },
  {
    what: 'capital negative',
    action: () => change({ changes: { capital: -100n } }),
    code: 'invalid_params',
    says: /capital/,
  },
  {
    what: 'capital as a fraction in text',
    action: () => change({ changes: { capital: '1000.50' } }),
    code: 'invalid_params',
    says: /capital/,
  },
  {
    what: 'an over-long name',
    action: () => change({ changes: { name: '鹏'.repeat(200) } }),
    code: 'invalid_params',
    says: /name/,
  },
  {
    what: 'a legal form the register does not know',
    action: () => change({ changes: { legalForm: 'pirate_ship' } }),
    code: 'invalid_params',
    says: /legalForm/,
  },
  {
    what: 'a new representative without a passport',
    action: () => change({ changes: { representative: h.account(777).address } }),
    code: 'not_found',
    says: /no passport/,
  },
];

describe('filings sent to the node: refused with a typed error, the register unchanged', () => {
  it.each(CASES)('$what: $code', async (c) => {
    const before = await register();
    const { status, body } = await submit((await signed(c.by ?? 'rep-chen', [c.action()])).bytes);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ ok: false, code: c.code });
    expect(String(body.message)).toMatch(c.says);
    expect(await register()).toEqual(before);
  });

  it('a forged signature and none at all are refused before they reach a block', async () => {
    const before = await register();
    const t = await signed('rep-chen', [dereg({})]);
    const forged = new Uint8Array(t.signature);
    forged[5]! ^= 0x01;
    for (const [sig, code] of [
      [forged, 'bad_signature'],
      [new Uint8Array(0), 'malformed'],
    ] as const) {
      const { status, body } = await submit(encodeCanonical({ body: t.bodyBytes, sig }));
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: { code } });
    }
    // Signed by a representative over another's body (the sender named is rep-chen).
    const lin = await signed('rep-lin', [dereg({})]);
    const swapped = await submit(encodeCanonical({ body: t.bodyBytes, sig: lin.signature }));
    expect(swapped.status).toBe(400);
    expect(swapped.body).toMatchObject({ error: { code: 'bad_signature' } });
    expect(await register()).toEqual(before);
  });

  it('a replayed filing is the same filing; a second ending while one waits is refused', async () => {
    const t = await signed('rep-chen', [dereg({})]);
    const first = await submit(t.bytes);
    expect(first.body, JSON.stringify(first.body)).toMatchObject({ ok: true });
    const after = await register();
    const replay = await submit(t.bytes);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: first.body.id, height: first.body.height, ok: true });
    expect(await register()).toEqual(after);

    for (const second of [dereg({ reason: '经营期限届满' }), dereg({ successor: pengcheng!.uscc })]) {
      const { body } = await submit((await signed('rep-chen', [second])).bytes);
      expect(body, JSON.stringify(body)).toMatchObject({ ok: false, code: 'not_allowed' });
      expect(String(body.message)).toMatch(/already waits/);
    }
    expect(await register()).toEqual(after);
  });
});

describe('the app’s reads over HTTP', () => {
  const get = (path: string, input: unknown) =>
    fetch(`${h.url}/registry/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);

  it.each([
    { path: 'enterprises.get', input: { uscc: 'x' }, status: 400, says: /USCC|uscc/ },
    { path: 'enterprises.get', input: { uscc: 42 }, status: 400, says: /uscc/ },
    { path: 'enterprises.get', input: { uscc: unknownUscc }, status: 404, says: new RegExp(unknownUscc) },
    { path: 'workbench.queue', input: { limit: 20 }, status: 401, says: /sign in/ },
  ])('$path $input: $status', async ({ path, input, status, says }) => {
    const res = await get(path, input);
    const text = await res.text();
    expect(res.status, text).toBe(status);
    expect(JSON.parse(text).error.message).toMatch(says);
  });
});
