import {
  decodeTx,
  encodeCanonical,
  encodeTxBatch,
  fromHex,
  signTx,
  type TrustedValidatorSet,
  toHex,
  verifyProofBundle,
} from '@gongxin/ledger';
import { signedTx } from '@gongxin/ledger/testing';
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlockJson, EventJson, ValidatorSetJson } from '../src/api';
import { keyOrderIsBytewise, rowsPerSegment } from '../src/api/queries';
import type { NodeRouter } from '../src/api/router';
import { startTestChain, type TestChain } from '../src/api/testing';

const add = (by: number) => ({ contract: 'counter', name: 'add', params: { by } });
const mint = (symbol: string, amount: string) => ({
  contract: 'assets',
  name: 'mint',
  params: { symbol, amount },
});

let chain: TestChain;
let trpc: ReturnType<typeof createTRPCClient<NodeRouter>>;
/** Unbatched, so each call gets its own HTTP status. */
let trpcSingle: ReturnType<typeof createTRPCClient<NodeRouter>>;

beforeAll(async () => {
  chain = await startTestChain();
  trpc = createTRPCClient<NodeRouter>({ links: [httpBatchLink({ url: `${chain.url}/trpc` })] });
  trpcSingle = createTRPCClient<NodeRouter>({ links: [httpLink({ url: `${chain.url}/trpc` })] });
}, 120_000);
afterAll(() => chain?.close());

const alice = () => chain.account(1);
const bob = () => chain.account(2);
const tx = (seed: number, nonce: number, actions: Parameters<typeof signedTx>[4], chainId = chain.chainId) =>
  signedTx(chain.suite, chainId, chain.account(seed), nonce, actions);

async function http(path: string, init?: RequestInit) {
  const res = await fetch(`${chain.url}${path}`, init);
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON bodies
  return { status: res.status, body: body as any, headers: res.headers };
}

const postTx = (bytes: Uint8Array, query = '') =>
  http(`/v1/txs${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tx: toHex(bytes) }),
  });

/** Polls until the tx is in a block (waitForTx would miss a commit that beat the HTTP answer). */
async function untilCommitted(id: string) {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${chain.url}/v1/txs/${id}`);
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`tx ${id} did not commit`);
}

async function trpcError(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCClientError);
    return error as TRPCClientError<NodeRouter>;
  }
  throw new Error('expected the call to fail');
}

/** Reads `count` data events of a tRPC SSE subscription from the raw stream. */
async function readSse<T>(
  path: string,
  input: unknown,
  count: number,
  onOpen?: () => Promise<void>,
): Promise<{ id?: string; data: T }[]> {
  const controller = new AbortController();
  const url = `${chain.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const out: { id?: string; data: T }[] = [];
  let buffer = '';
  let opened = false;
  try {
    while (out.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const lines = chunk.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event === 'connected' && !opened) {
          opened = true;
          await onOpen?.();
        }
        const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
        if (!event && data) out.push({ ...(id && { id }), data: JSON.parse(data) as T });
      }
    }
  } finally {
    controller.abort();
  }
  return out;
}

describe('the node API', () => {
  it('describes the chain', async () => {
    const info = await trpc.chain.info.query();
    expect(info).toMatchObject({ chainId: chain.chainId, suite: 'ed25519-sha256', totalPower: 10 });
    expect(info.genesisHash).toMatch(/^[0-9a-f]{64}$/);
    expect(info.validators).toHaveLength(1);
    const viaHttp = await http('/v1/chain');
    expect(viaHttp.status).toBe(200);
    expect(viaHttp.body.chainId).toBe(chain.chainId);
  });

  let firstId = '';

  it('submits over tRPC and over POST /v1/txs?wait=true, and finds the txs by id, block and account', async () => {
    const committed = await trpc.tx.submitAndWait.mutate({ tx: toHex(tx(1, 0, [add(2)])) });
    expect(committed).toMatchObject({
      ok: true,
      events: [{ contract: 'counter', name: 'added', attrs: { by: 2, total: 2 } }],
    });
    firstId = committed.id;

    const submitted = await trpc.tx.submit.mutate({ tx: toHex(tx(1, 1, [add(3)])) });
    expect(submitted.id).toMatch(/^[0-9a-f]{64}$/);
    await untilCommitted(submitted.id);

    const viaHttp = await postTx(tx(1, 2, [add(4)]), '?wait=true');
    expect(viaHttp.status).toBe(200);
    expect(viaHttp.body).toMatchObject({ ok: true, events: [{ attrs: { total: 9 } }] });

    const raw = await http('/v1/txs?wait=true&timeoutMs=10000', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: tx(1, 3, [add(1)]),
    });
    expect(raw.status).toBe(200);
    expect(raw.body.ok).toBe(true);

    const accepted = await postTx(tx(1, 4, [add(1)]));
    expect(accepted.status).toBe(202);
    await untilCommitted(accepted.body.id);

    const got = await trpc.tx.get.query({ id: firstId });
    expect(got).toMatchObject({
      id: firstId,
      height: committed.height,
      blockHash: committed.blockHash,
      body: {
        from: alice().address,
        nonce: 0,
        actions: [{ contract: 'counter', name: 'add', params: { by: 2 } }],
      },
      receipt: { ok: true, eventCount: 1 },
      events: [{ name: 'added', txId: firstId }],
    });
    expect(got.body?.key).toBe(toHex(alice().publicKey));
    const gotHttp = await http(`/v1/txs/${firstId.toUpperCase()}`);
    expect(gotHttp.body).toEqual(got);

    const block = await trpc.block.get.query({ height: committed.height });
    expect(block.hash).toBe(committed.blockHash);
    expect(block.txs).toContainEqual({ id: firstId, index: got.index, from: alice().address, ok: true });
    expect(block.certificate).toMatchObject({ signers: 1, power: 10, totalPower: 10 });
    expect(block.certificate.signerKeys).toEqual([toHex(chain.node.signerKey!)]);
    expect(await trpc.block.get.query({ hash: committed.blockHash })).toEqual(block);
    expect((await http(`/v1/blocks/${committed.height}`)).body).toEqual(block);
    expect((await http(`/v1/blocks/${committed.blockHash}`)).body).toEqual(block);

    const latest = await trpc.block.latest.query({ limit: 3 });
    expect(latest[0]!.height).toBe(chain.node.head.height);
    expect(latest.map((b) => b.height)).toEqual([...latest.map((b) => b.height)].sort((a, b) => b - a));
    const range = await trpc.block.range.query({ from: 1, limit: 2 });
    expect(range.map((b) => b.height)).toEqual([1, 2]);
    expect(range[1]!.parentHash).toBe(range[0]!.hash);
    expect((await http('/v1/blocks?from=1&limit=2')).body).toEqual(range);

    // Newest first, keyset-paged.
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await trpc.tx.byAccount.query({ address: alice().address, limit: 2, cursor });
      pages.push(page.items.map((t) => `${t.body?.nonce}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([['4', '3'], ['2', '1'], ['0']]);

    // The txs of a height range in chain order, keyset-paged: what each block's tx list says.
    const head = chain.node.head.height;
    const listed: { height: number; id: string; index: number; from: string | null; ok: boolean }[] = [];
    cursor = undefined;
    do {
      const page = await trpc.block.txs.query({ fromHeight: 1, toHeight: head, limit: 2, cursor });
      listed.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const expected = [];
    for (let h = 1; h <= head; h++) {
      for (const t of (await trpc.block.get.query({ height: h })).txs) expected.push({ height: h, ...t });
    }
    expect(listed).toEqual(expected);
    expect(listed.map((t) => t.id)).toContain(firstId);
    await expect(trpc.block.txs.query({ fromHeight: 3, toHeight: 2 })).rejects.toMatchObject({
      data: { chainError: { code: 'invalid_input' } },
    });
  }, 30_000);

  it('filters and pages events, and answers account, state and balances', async () => {
    await trpc.tx.submitAndWait.mutate({
      tx: toHex(tx(2, 0, [add(5), mint('CNYX', '12345678901234567890')])),
    });
    await trpc.tx.submitAndWait.mutate({ tx: toHex(tx(2, 1, [mint('PTS', '7')])) });
    await trpc.tx.submitAndWait.mutate({ tx: toHex(tx(3, 0, [mint('CNYX', '1'), mint('AAA', '5')])) });

    const all = await trpc.event.list.query({ contract: 'counter', name: 'added', limit: 500 });
    expect(all.items.length).toBe(6);
    expect(all.nextCursor).toBeNull();
    const ordered = all.items.map((e) => [e.height, e.index]);
    expect(ordered).toEqual([...ordered].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    const paged: EventJson[] = [];
    let cursor: string | undefined;
    do {
      const page = await trpc.event.list.query({ contract: 'counter', name: 'added', limit: 4, cursor });
      paged.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all.items);

    const mints = await http('/v1/events?contract=assets&name=minted');
    expect(mints.status).toBe(200);
    expect(mints.body.items.map((e: EventJson) => (e.attrs as { amount: string }).amount)).toEqual([
      '12345678901234567890',
      '7',
      '1',
      '5',
    ]);
    const last = all.items.at(-1)!;
    const window = await trpc.event.list.query({ fromHeight: last.height, toHeight: last.height, limit: 50 });
    expect(window.items.every((e) => e.height === last.height)).toBe(true);
    expect(window.items).toContainEqual(last);
    expect(await trpc.event.byTx.query({ id: last.txId })).toContainEqual(last);

    const account = await trpc.account.get.query({ address: bob().address });
    expect(account).toEqual({
      address: bob().address,
      nonce: 2,
      keys: [toHex(bob().publicKey)],
      keysFromAddress: true,
      balances: { CNYX: '12345678901234567890', PTS: '7' },
    });
    expect((await http(`/v1/accounts/${chain.account(3).address}`)).body.balances).toEqual({
      AAA: '5',
      CNYX: '1',
    });
    // The loose index scan gives the same answer under COLLATE "C" (for databases not in the C collation).
    const db = chain.node.store.db;
    expect(await keyOrderIsBytewise(db)).toBe(true);
    const bytewise = await rowsPerSegment(db, 'assets/bal/', bob().address, true);
    expect(bytewise.map((r) => r.segment)).toEqual(['CNYX', 'PTS']);
    expect(await rowsPerSegment(db, 'assets/bal/', bob().address, false)).toEqual(bytewise);
    const stranger = await trpc.account.get.query({ address: chain.account(99).address });
    expect(stranger).toMatchObject({ nonce: 0, keys: [], balances: {} });

    const state = await trpc.state.get.query({ key: `counter/${alice().address}` });
    expect(state.value).toBe(11);
    expect(state.height).toBeGreaterThan(0);
    const viaHttp = await http(`/v1/state/assets/bal/CNYX/${bob().address}`);
    expect(viaHttp.body).toMatchObject({ value: '12345678901234567890' });
    expect((await http(`/v1/state/${encodeURIComponent(`counter/${alice().address}`)}`)).body).toEqual(state);
  }, 30_000);

  it('serves proofs that verify against the validator set it serves', async () => {
    const proof = await trpc.proof.tx.query({ id: firstId });
    const validators = await trpc.validators.at.query({ height: proof.height });
    const trusted = trustedOf(validators);
    const verdict = verifyProofBundle(chain.suite, fromHex(proof.bundle), trusted);
    expect(verdict).toMatchObject({ ok: true, height: proof.height, blockHash: proof.blockHash });
    expect(proof.tx.id).toBe(firstId);

    const events = await trpc.event.list.query({ contract: 'assets', limit: 50 });
    const event = events.items[2]!;
    const eventProof = await http(`/v1/events/${event.height}/${event.index}/proof`);
    expect(eventProof.status).toBe(200);
    expect(eventProof.body.event).toEqual(event);
    const set = (await http(`/v1/validators?height=${event.height}`)).body as ValidatorSetJson;
    expect(verifyProofBundle(chain.suite, fromHex(eventProof.body.bundle), trustedOf(set)).ok).toBe(true);
    expect((await http(`/v1/txs/${firstId}/proof`)).body.bundle).toBe(proof.bundle);

    // A proof is only as good as its bytes: change one and it fails.
    const tampered = fromHex(proof.bundle);
    tampered[40]! ^= 1;
    expect(verifyProofBundle(chain.suite, tampered, trusted).ok).toBe(false);
    const otherChain = { ...trusted, chainId: 'another' };
    expect(verifyProofBundle(chain.suite, fromHex(proof.bundle), otherChain).ok).toBe(false);
  });

  it('takes a batch as JSON or in binary, and refuses a malformed binary batch in words', async () => {
    const carol = 7;
    const txs = [0, 1, 2].map((n) => tx(carol, n, [add(1)]));
    const binary = (body: Uint8Array) =>
      http('/v1/txs/batch', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
      });
    const viaBinary = await binary(encodeTxBatch(txs));
    expect(viaBinary.status).toBe(202);
    expect(viaBinary.body.results).toHaveLength(3);
    for (const r of viaBinary.body.results)
      expect(r).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{64}$/), duplicate: false });
    expect(viaBinary.body.results.map((r: { id: string }) => r.id)).toEqual(
      txs.map((t) => toHex(decodeTx(chain.suite, t).id)),
    );
    // The JSON form (hex strings) still works beside it.
    const viaJson = await http('/v1/txs/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ txs: [toHex(tx(carol, 3, [add(1)]))] }),
    });
    expect(viaJson.status).toBe(202);
    expect(viaJson.body.results[0]).toMatchObject({ duplicate: false });
    await untilCommitted(viaBinary.body.results[2].id);

    const next = encodeTxBatch([tx(carol, 4, [add(1)])]);
    const tooLong = new Uint8Array(4);
    new DataView(tooLong.buffer).setUint32(0, 64 * 1024 + 1);
    const cases: [string, Uint8Array, RegExp][] = [
      ['cut short', next.subarray(0, next.length - 1), /tx 1: \d+ bytes announced at byte 0, \d+ left/],
      ['length cut short', Uint8Array.from([...next, 0, 0]), /tx 2: its 4-byte length is cut short/],
      [
        'length zero',
        Uint8Array.from([...next, 0, 0, 0, 0]),
        /tx 2: length 0 at byte \d+ is not between 1 and 65536/,
      ],
      ['too long', tooLong, /tx 1: length 65537 at byte 0 is not between 1 and 65536/],
      ['too many', encodeTxBatch(Array.from({ length: 1001 }, () => Uint8Array.of(1))), /at most 1000 txs/],
    ];
    for (const [what, body, message] of cases) {
      const res = await binary(body);
      expect(res.status, what).toBe(400);
      expect(res.body.error.code, what).toBe('malformed');
      expect(res.body.error.message, what).toMatch(message);
    }
    // Nothing of a refused body was admitted: nonce 4 is still free.
    const after = await binary(next);
    expect(after.status).toBe(202);
    expect(after.body.results[0]).toMatchObject({ duplicate: false });
    const metrics = await (await fetch(`${chain.url}/metrics`)).text();
    expect(metrics).toMatch(/gongxin_bad_input_total\{source="http",reason="malformed"\} [1-9]/);
  });

  it('refuses bad input with 400 and a typed code, never a 500', async () => {
    // Malformed hex.
    const badHex = await trpcError(trpcSingle.tx.submit.mutate({ tx: 'zz-not-hex' }));
    expect(badHex.data).toMatchObject({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      chainError: { code: 'malformed' },
    });
    expect((await postTx(new Uint8Array(0))).status).toBe(400);
    const odd = await http('/v1/txs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"tx":"abc"}',
    });
    expect(odd).toMatchObject({ status: 400, body: { error: { code: 'malformed' } } });
    const garbage = await postTx(new Uint8Array([1, 2, 3]));
    expect(garbage).toMatchObject({ status: 400, body: { error: { code: 'malformed' } } });

    // A forged signature.
    const signed = signTx(
      chain.suite,
      {
        chainId: chain.chainId,
        from: chain.account(4).address,
        key: chain.account(4).publicKey,
        nonce: 0,
        actions: [add(1)],
      },
      chain.account(4).privateKey,
    );
    const sig = signed.signature.slice();
    sig[0]! ^= 1;
    const forged = encodeCanonical({ body: signed.bodyBytes, sig });
    const badSig = await trpcError(trpcSingle.tx.submit.mutate({ tx: toHex(forged) }));
    expect(badSig.data?.chainError).toMatchObject({ code: 'bad_signature' });
    expect((await postTx(forged)).body.error.code).toBe('bad_signature');

    // Another chain's tx.
    const wrong = await trpcError(
      trpcSingle.tx.submitAndWait.mutate({ tx: toHex(tx(4, 0, [add(1)], 'other-chain')) }),
    );
    expect(wrong.data?.chainError?.code).toBe('wrong_chain');
    expect(wrong.data?.httpStatus).toBe(400);

    // A replayed nonce.
    const replay = await trpcError(trpcSingle.tx.submit.mutate({ tx: toHex(tx(1, 0, [add(7)])) }));
    expect(replay.data?.chainError).toMatchObject({ code: 'bad_nonce' });
    expect(await postTx(tx(1, 1, [add(7)]), '?wait=true')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_nonce' } },
    });

    // Bad parameters.
    const badId = await trpcError(trpcSingle.tx.get.query({ id: 'nope' }));
    expect(badId.data).toMatchObject({ code: 'BAD_REQUEST', chainError: { code: 'invalid_input' } });
    expect(badId.data?.zodError?.fieldErrors).toHaveProperty('id');
    for (const path of [
      '/v1/txs/nope',
      '/v1/blocks/xyz',
      '/v1/blocks?limit=0',
      '/v1/blocks?limit=abc',
      '/v1/events?from=-1',
      '/v1/events?cursor=zz',
      '/v1/events?contract=Bad!',
      '/v1/accounts/gx1notanaddress',
      '/v1/validators?height=1e9',
      '/v1/events/1/x/proof',
    ]) {
      const res = await http(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('invalid_input');
    }
    const badJson = await http('/v1/txs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(badJson).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    const noBody = await http('/v1/txs', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(noBody.status).toBe(400);
    const huge = await http('/v1/txs', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(70 * 1024),
    });
    expect(huge).toMatchObject({ status: 400, body: { error: { code: 'too_large' } } });
    const hugeHex = await trpcError(trpcSingle.tx.submit.mutate({ tx: '00'.repeat(65 * 1024) }));
    expect(hugeHex.data?.chainError?.code).toBe('too_large');

    const metrics = await (await fetch(`${chain.url}/metrics`)).text();
    expect(metrics).toMatch(/gongxin_bad_input_total\{source="trpc",reason="bad_signature"\} 1/);
    expect(metrics).toMatch(/gongxin_bad_input_total\{source="http",reason="malformed"\} \d/);
  }, 30_000);

  it('answers 404 for what does not exist', async () => {
    const unknown = '00'.repeat(32);
    const missing = await trpcError(trpcSingle.tx.get.query({ id: unknown }));
    expect(missing.data).toMatchObject({
      code: 'NOT_FOUND',
      httpStatus: 404,
      chainError: { code: 'not_found' },
    });
    for (const path of [
      `/v1/txs/${unknown}`,
      `/v1/txs/${unknown}/proof`,
      '/v1/blocks/999999',
      `/v1/blocks/${unknown}`,
      '/v1/events/999999/0/proof',
      '/v1/state/no/such/key',
      '/v1/validators?height=999999',
      '/v1/nothing-here',
      '/nothing-here',
    ]) {
      const res = await http(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('not_found');
    }
    const block = await trpcError(trpcSingle.block.get.query({ height: 999_999 }));
    expect(block.data?.code).toBe('NOT_FOUND');
  });

  it('streams stored blocks and then new ones to a subscriber', async () => {
    const head = chain.node.head.height;
    let newId = '';
    const blocks = await readSse<BlockJson>('block.onNew', { fromHeight: head - 1 }, 3, async () => {
      newId = (await trpc.tx.submit.mutate({ tx: toHex(tx(5, 0, [add(1)])) })).id;
    });
    expect(blocks.map((b) => b.data.height)).toEqual([head - 1, head, head + 1]);
    expect(blocks.map((b) => b.id)).toEqual([String(head - 1), String(head), String(head + 1)]);
    expect(blocks[2]!.data.txs.map((t) => t.id)).toContain(newId);

    // Resuming from a tracked id continues after it.
    const resumed = await readSse<BlockJson>('block.onNew', { lastEventId: String(head) }, 1);
    expect(resumed[0]!.data.height).toBe(head + 1);

    const events = await readSse<EventJson>('event.onNew', { contract: 'counter' }, 1, async () => {
      await trpc.tx.submit.mutate({ tx: toHex(tx(5, 1, [add(9)])) });
    });
    expect(events[0]!.data).toMatchObject({ contract: 'counter', name: 'added', attrs: { by: 9 } });
    expect(events[0]!.id).toBe(`${events[0]!.data.height}.${events[0]!.data.index}`);

    // Resuming after an event delivers the next matching one, even from long before the head.
    const history = await trpc.event.list.query({ contract: 'counter', name: 'added', limit: 2 });
    const [firstEvent, secondEvent] = history.items;
    const resumedEvents = await readSse<EventJson>(
      'event.onNew',
      { contract: 'counter', name: 'added', lastEventId: `${firstEvent!.height}.${firstEvent!.index}` },
      1,
    );
    expect(resumedEvents[0]!.data).toEqual(secondEvent);
  }, 30_000);

  it('reports health and metrics', async () => {
    const health = await http('/healthz');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', height: chain.node.head.height } });
    const metrics = await (await fetch(`${chain.url}/metrics`)).text();
    expect(metrics).toContain(`gongxin_chain_height ${chain.node.head.height}`);
    expect(metrics).toMatch(/gongxin_committed_txs_total \d+/);
    expect(metrics).toMatch(/gongxin_commit_latency_ms_count \d+/);
    expect(metrics).toContain('gongxin_mempool_size 0');
  });
});

describe('a busy node', () => {
  let busy: TestChain;
  beforeAll(async () => {
    busy = await startTestChain({
      mempoolLimits: { maxTxs: 1000, maxBytes: 1 << 24, maxPerSender: 2 },
      api: { rateLimit: { perSecond: 0.001, burst: 5 } },
    });
  }, 30_000);
  afterAll(() => busy?.close());

  it('answers 429 when the mempool is full, and when a client submits too fast', async () => {
    const client = createTRPCClient<NodeRouter>({ links: [httpLink({ url: `${busy.url}/trpc` })] });
    const gap = (nonce: number) =>
      toHex(signedTx(busy.suite, busy.chainId, busy.account(1), nonce, [add(1)]));
    // Nonces far ahead of the account's wait in the mempool; its per-sender room is 2.
    await client.tx.submit.mutate({ tx: gap(10) });
    await client.tx.submit.mutate({ tx: gap(11) });
    const full = await trpcError(client.tx.submit.mutate({ tx: gap(12) }));
    expect(full.data).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      httpStatus: 429,
      chainError: { code: 'busy' },
    });
    expect(full.data?.chainError?.retryAfterMs).toBeGreaterThan(0);
    const res = await fetch(`${busy.url}/v1/txs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tx: gap(13) }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('busy');

    // Five submissions used the burst; the sixth is rate limited.
    await client.tx.submit.mutate({ tx: gap(10) }).catch(() => {});
    const limited = await trpcError(client.tx.submit.mutate({ tx: gap(10) }));
    expect(limited.data).toMatchObject({ httpStatus: 429, chainError: { code: 'rate_limited' } });
  });
});

describe('health and request metrics', () => {
  let node: TestChain;
  beforeAll(async () => {
    node = await startTestChain({ health: { mempoolStuckAfterMs: 1_000 } });
  }, 30_000);
  afterAll(() => node?.close());

  it('reports a mempool that cannot drain, with the reason, instead of ok', async () => {
    const ok = await fetch(`${node.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', problems: [] });
    // A tx behind a nonce gap can never run until the gap fills: the pool holds it and does not drain.
    const future = signedTx(node.suite, node.chainId, node.account(3), 2, [add(1)]);
    expect(
      (
        await fetch(`${node.url}/v1/txs`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: future,
        })
      ).status,
    ).toBe(202);
    let body:
      | { status: string; problems: { code: string; message: string }[]; mempool: { future: number } }
      | undefined;
    const until = Date.now() + 20_000;
    let status = 200;
    while (Date.now() < until) {
      const res = await fetch(`${node.url}/healthz`);
      status = res.status;
      body = (await res.json()) as typeof body;
      if (status === 503) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'unhealthy', mempool: { future: 1 } });
    expect(body!.problems).toEqual([
      { code: 'mempool_stuck', message: expect.stringMatching(/^1 txs \(0 executable, 1 future\) waiting/) },
    ]);
  }, 30_000);

  it('exports request rate, errors and latency by route, never by raw path', async () => {
    await fetch(`${node.url}/v1/blocks/1`);
    await fetch(`${node.url}/v1/txs/${'ab'.repeat(32)}`);
    await fetch(`${node.url}/v1/txs/nothex`);
    await fetch(`${node.url}/trpc/chain.info`);
    await fetch(`${node.url}/nowhere/${Math.random()}`);
    const text = await (await fetch(`${node.url}/metrics`)).text();
    expect(text).toMatch(
      /gongxin_chain_api_requests_total\{method="GET",route="\/v1\/blocks\/:ref",status="200"\} 1/,
    );
    expect(text).toMatch(
      /gongxin_chain_api_requests_total\{method="GET",route="\/v1\/txs\/:id",status="404"\} 1/,
    );
    expect(text).toMatch(
      /gongxin_chain_api_requests_total\{method="GET",route="\/v1\/txs\/:id",status="400"\} 1/,
    );
    expect(text).toMatch(
      /gongxin_chain_api_requests_total\{method="GET",route="\/trpc\/chain.info",status="200"\} 1/,
    );
    expect(text).toMatch(
      /gongxin_chain_api_requests_total\{method="GET",route="\(unmatched\)",status="404"\} 1/,
    );
    expect(text).toMatch(
      /gongxin_chain_api_request_duration_seconds_count\{method="GET",route="\/v1\/blocks\/:ref"\} 1/,
    );
    expect(text).not.toContain('nowhere');
    expect(text).not.toContain('abab');
  });
});

function trustedOf(set: ValidatorSetJson): TrustedValidatorSet {
  return {
    chainId: set.chainId,
    suite: set.suite,
    validators: set.validators.map((v) => ({ ...v, key: fromHex(v.key) })),
  };
}
