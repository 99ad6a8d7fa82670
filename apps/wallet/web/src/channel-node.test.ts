import { countersignBytes, signBalanceProof } from '@gongxin/contracts';
import { toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import {
  type ChannelJson,
  ChannelNodeError,
  channelNode,
  channelTo,
  checkChannelProofs,
  checkInvoiceText,
  failureReason,
  NODE_ERROR_CODES,
  nodeError,
  nodeErrorDetail,
  nodeErrorKey,
  type ProofJson,
  parseInvoiceText,
  pollDelay,
  proofCounter,
  sendableOn,
} from './channel-node';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const suite = getSuite('ed25519-sha256');
const me = suite.randomPrivateKey();
const peer = suite.randomPrivateKey();
const id = 'ab'.repeat(32);

function proof(key: Uint8Array, nonce: number, transferred: bigint, counter?: Uint8Array): ProofJson {
  const signed = signBalanceProof(
    suite,
    {
      chain: 'c',
      channel: id,
      asset: 'CNYX',
      nonce,
      transferred,
      locked: 0n,
      locksRoot: new Uint8Array(32),
      batchRoot: new Uint8Array(32).fill(1),
    },
    key,
  );
  return {
    ...signed,
    transferred: String(transferred),
    locked: '0',
    locksRoot: toHex(signed.locksRoot),
    batchRoot: toHex(signed.batchRoot),
    signature: toHex(signed.signature),
    ...(counter && { countersignature: toHex(suite.sign(countersignBytes(signed), counter)) }),
  };
}

function channel(out: ProofJson, inn: ProofJson): ChannelJson {
  return {
    id,
    peer: 'p',
    side: 'a',
    status: 'open',
    disputeMs: 3000,
    keys: { mine: toHex(suite.publicKeyFromPrivate(me)), peer: toHex(suite.publicKeyFromPrivate(peer)) },
    assets: {
      CNYX: {
        deposit: '100',
        peerDeposit: '100',
        available: '100',
        out: { nonce: out.nonce, transferred: out.transferred, locked: '0' },
        in: { nonce: inn.nonce, transferred: inn.transferred, locked: '0' },
        proofs: { out, in: inn },
      },
    },
  };
}

describe('channel proofs checked in the browser', () => {
  it('verifies both signatures and the countersignature', () => {
    const checks = checkChannelProofs('ed25519-sha256', channel(proof(me, 3, 40n), proof(peer, 2, 10n, me)));
    expect(checks.map((c) => [c.direction, c.ok, c.code])).toEqual([
      ['out', true, 'verified'],
      ['in', true, 'verified'],
    ]);
  });

  it('catches an altered amount, a wrong signer and a missing countersignature', () => {
    const altered = { ...proof(me, 3, 40n), transferred: '41' };
    const c1 = channel(altered, proof(peer, 2, 10n, me));
    expect(checkChannelProofs('ed25519-sha256', c1)[0]).toMatchObject({
      ok: false,
      code: 'signature',
      detail: expect.stringMatching(/signature/),
    });
    const c2 = channel(proof(me, 3, 40n), proof(me, 2, 10n, me));
    expect(checkChannelProofs('ed25519-sha256', c2)[1]).toMatchObject({ ok: false });
    const c3 = channel(proof(me, 3, 40n), proof(peer, 2, 10n));
    expect(checkChannelProofs('ed25519-sha256', c3)[1]).toMatchObject({
      ok: false,
      code: 'countersignature',
      detail: expect.stringMatching(/counter/),
    });
  });

  it('reads invoices', () => {
    expect(parseInvoiceText(`gongxin-channel:gx1abc?asset=CNYX&amount=7&hashlock=${'0'.repeat(64)}`)).toEqual(
      {
        payee: 'gx1abc',
        asset: 'CNYX',
        amount: '7',
      },
    );
    expect(parseInvoiceText('gongxin:pay?to=x')).toBeNull();
  });

  it('says what is wrong with a pasted invoice', () => {
    const lock = 'a'.repeat(64);
    expect(checkInvoiceText('hello')).toEqual({ problem: 'not_invoice' });
    expect(checkInvoiceText('gongxin-channel:nonsense')).toEqual({ problem: 'not_invoice' });
    expect(checkInvoiceText(`gongxin-channel:?asset=CNYD&amount=1&hashlock=${lock}`)).toEqual({
      problem: 'bad_payee',
    });
    expect(checkInvoiceText(`gongxin-channel:gx1abc?asset=cnyd&amount=1&hashlock=${lock}`)).toEqual({
      problem: 'bad_asset',
    });
    for (const amount of ['0', '1.5', 'abc', '-1', ''])
      expect(checkInvoiceText(`gongxin-channel:gx1abc?asset=CNYD&amount=${amount}&hashlock=${lock}`)).toEqual(
        {
          problem: 'bad_amount',
        },
      );
    expect(checkInvoiceText('gongxin-channel:gx1abc?asset=CNYD&amount=1&hashlock=12')).toEqual({
      problem: 'bad_hashlock',
    });
    expect(checkInvoiceText(` gongxin-channel:gx1abc?asset=CNYD&amount=2500&hashlock=${lock}\n`)).toEqual({
      invoice: { payee: 'gx1abc', asset: 'CNYD', amount: '2500' },
    });
  });
});

describe('the channel node as the page speaks of it', () => {
  const base: ChannelJson = channel(proof(me, 1, 0n), proof(peer, 1, 0n, me));
  const withAvailable = (status: ChannelJson['status'], available: string): ChannelJson => ({
    ...base,
    status,
    assets: { CNYX: { ...base.assets.CNYX!, available } },
  });

  it('knows the most one payment can carry: the largest open channel in the asset', () => {
    const channels = [
      withAvailable('open', '7500'),
      withAvailable('open', '12000'),
      withAvailable('closing', '90000'),
    ];
    expect(sendableOn(channels, 'CNYX')).toBe(12000n);
    expect(sendableOn(channels, 'CNYD')).toBe(0n);
    expect(sendableOn([], 'CNYX')).toBe(0n);
  });

  it('sorts the node’s refusals by their code, never by the English words', () => {
    const refused = nodeError(
      400,
      { code: 'chain_refused', message: 'words', params: { action: 'open', code: 'insufficient_funds' } },
      '/open',
    );
    expect(refused).toMatchObject({
      kind: 'refused',
      code: 'chain_refused',
      chainCode: 'insufficient_funds',
    });
    // English that looks like a chain refusal is only words: the code decides.
    const looksRefused = nodeError(400, { code: 'bad_field', message: 'open refused: x_y: z' }, '/open');
    expect([looksRefused.kind, looksRefused.chainCode]).toEqual(['bad_request', undefined]);
    expect(nodeError(403, { code: 'forbidden_origin', message: 'origin x' }, '/status').kind).toBe(
      'forbidden',
    );
    const bad = nodeError(400, { code: 'bad_amount', message: 'm', params: { field: 'amount' } }, '/invoice');
    expect([bad.kind, bad.params]).toEqual(['bad_request', { field: 'amount' }]);
    const internal = nodeError(502, undefined, '/pay');
    expect(internal).toBeInstanceOf(ChannelNodeError);
    expect([internal.kind, internal.detail, internal.code]).toEqual([
      'internal',
      '/pay: HTTP 502',
      undefined,
    ]);
  });

  it('has a message in both languages for every code the node answers with, filled from its params', () => {
    for (const [name, messages] of [
      ['zh-CN', zhCN],
      ['en', en],
    ] as const) {
      const i18n = createI18n({ legacy: false, locale: name, messages: { [name]: messages } });
      for (const code of NODE_ERROR_CODES) {
        const key = nodeErrorKey(new ChannelNodeError('bad_request', 'English', code, { field: 'amount' }))!;
        expect(i18n.global.te(key.key), `${name} ${code}`).toBe(true);
        const text = i18n.global.t(key.key, key.params);
        expect(text).not.toContain('English');
        expect(text).not.toMatch(/\{\w+\}/);
        if (code === 'bad_amount') expect(text).toContain('amount');
      }
    }
    expect(nodeErrorKey(new ChannelNodeError('bad_request', 'x', 'something_new'))).toBeNull();
    expect(nodeErrorKey(new ChannelNodeError('unreachable', 'x'))).toBeNull();
  });

  it('says there is no proof yet instead of “number 0”', () => {
    const zh = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } }).global;
    const say = (direction: 'out' | 'in', nonce: number) => {
      const c = proofCounter(direction, { nonce, transferred: '0', locked: '0' });
      return zh.t(c.key, { nonce: c.nonce ?? 0 });
    };
    expect(say('in', 0)).toBe('尚未收到');
    expect(say('out', 0)).not.toContain('0');
    expect(say('in', 3)).toBe('收到第 3 号');
    expect(say('out', 12)).toContain('12');
  });

  it('finds the channel already open to a peer, so a second one is not opened by mistake', () => {
    const hub = base.peer;
    const closing = { ...withAvailable('closing', '0'), id: 'cd'.repeat(32) };
    const open = withAvailable('open', '10');
    expect(channelTo([closing, open], ` ${hub} `)?.id).toBe(open.id);
    expect(channelTo([closing], hub)?.status).toBe('closing');
    expect(channelTo([{ ...open, status: 'settled' }], hub)).toBeUndefined();
    expect(channelTo([open], 'gx1someoneelse')).toBeUndefined();
    expect(channelTo([open], '')).toBeUndefined();
  });

  afterEach(() => vi.unstubAllGlobals());

  it('pages the payment history: the newest first, then older ones from where the last page ended', async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        asked.push(url);
        return new Response(JSON.stringify({ payments: [], next: 7 }), { status: 200 });
      }),
    );
    const n = channelNode('http://node');
    expect(await n.payments({ limit: 20 })).toEqual({ payments: [], next: 7 });
    await n.payments({ limit: 20, before: 7 });
    expect(asked).toEqual(['http://node/payments?limit=20', 'http://node/payments?limit=20&before=7']);
  });

  it('reports a node that does not answer as unreachable', async () => {
    const error = await channelNode('http://127.0.0.1:9')
      .status()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelNodeError);
    expect((error as ChannelNodeError).kind).toBe('unreachable');
  });

  it('names the known reasons a payment fails', () => {
    expect(failureReason('no route')).toBe('noRoute');
    expect(failureReason('no capacity')).toBe('noCapacity');
    expect(failureReason('channel closed')).toBe('channelClosed');
    expect(failureReason('amount out of range: a balance proof carries at most 2^64 - 1')).toBe('tooLarge');
    expect(failureReason('the node stopped before it was sent')).toBe('notSent');
    expect(failureReason('too many pending locks: a balance proof carries at most 128')).toBe('lockLimit');
    expect(failureReason('something new')).toBeNull();
    expect(failureReason(undefined)).toBeNull();
  });
});

describe("a node error's own words, for the details under the page's sentence", () => {
  it("gives the code (and the chain's, when the chain refused) with the node's words", () => {
    expect(nodeErrorDetail(new ChannelNodeError('unreachable', 'Failed to fetch'))).toBe(
      'unreachable: Failed to fetch',
    );
    expect(
      nodeErrorDetail(nodeError(400, { code: 'bad_amount', message: 'amount: not a number' }, '/pay')),
    ).toBe('bad_amount: amount: not a number');
    expect(
      nodeErrorDetail(
        nodeError(
          409,
          { code: 'chain_refused', message: 'deposit refused', params: { code: 'insufficient_funds' } },
          '/open',
        ),
      ),
    ).toBe('chain_refused/insufficient_funds: deposit refused');
    expect(nodeErrorDetail(nodeError(500, undefined, '/status'))).toBe('internal: /status: HTTP 500');
  });
});

describe('asking a node that does not answer', () => {
  it('waits twice as long after each miss, from 2 s up to a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 100].map(pollDelay)).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });
});
