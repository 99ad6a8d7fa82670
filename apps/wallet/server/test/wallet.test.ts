// The wallet's read models and API against a real chain: alice (verified) issues an asset, pays bob,
// mints to carol, freezes and unfreezes dave, bob burns, alice hands out a red packet that bob and carol
// claim and alice takes back after it expires. Every check is against what the chain itself says.
import { testAccount } from '@gongxin/ledger/testing';
import { demoAccounts } from '@gongxin/passport-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, history, holdings, packetClaims, packets } from '../src/db/schema';
import { type Harness, type Receipt, startHarness } from './harness';

let h: Harness;
// The deployment clock: the wall clock plus a skew the test moves forward to pass the packet's expiry,
// so a loaded machine that takes long over the claims cannot expire the packet before they are made.
let skew = 0;
const clock = () => Date.now() + skew;
let packetId: string;
let expiresAt: number;
const receipts: Record<string, Receipt> = {};

beforeAll(async () => {
  h = await startHarness({ clock });
  const { alice, bob, carol, dave } = h.people;
  const transfer = (to: string, amount: number, memo?: string) => ({
    contract: 'assets',
    name: 'transfer',
    params: { symbol: 'CNYX', to, amount, ...(memo && { memo }) },
  });

  receipts.issue = await h.send(alice, [
    {
      contract: 'assets',
      name: 'issue',
      params: {
        symbol: 'CNYX',
        name: '数字人民币券',
        decimals: 2,
        policy: 'mintable',
        initialSupply: 1_000_000n,
        maxSupply: 5_000_000n,
      },
    },
  ]);
  receipts.pay = await h.send(alice, [transfer(bob.address, 12_345, '午饭')]);
  receipts.mint = await h.send(alice, [
    { contract: 'assets', name: 'mint', params: { symbol: 'CNYX', amount: 50_000, to: carol.address } },
  ]);
  receipts.freeze = await h.send(alice, [
    { contract: 'assets', name: 'freeze', params: { symbol: 'CNYX', account: dave.address, reason: '核查' } },
  ]);
  receipts.unfreeze = await h.send(alice, [
    {
      contract: 'assets',
      name: 'unfreeze',
      params: { symbol: 'CNYX', account: dave.address, reason: '已核实' },
    },
  ]);
  receipts.burn = await h.send(bob, [
    { contract: 'assets', name: 'burn', params: { symbol: 'CNYX', amount: 345 } },
  ]);
  receipts.payDave = await h.send(bob, [transfer(dave.address, 2_000)]);
  // A failed tx (insufficient funds) changes nothing and shows in no history.
  receipts.failed = await h.send(dave, [transfer(alice.address, 999_999)]);
  // Genesis asset moving: the wallet still shows it.
  receipts.genx = await h.send(bob, [
    { contract: 'assets', name: 'transfer', params: { symbol: 'GENX', to: alice.address, amount: 40 } },
  ]);

  expiresAt = clock() + 600_000;
  receipts.packet = await h.send(alice, [
    {
      contract: 'assets',
      name: 'createPacket',
      params: { symbol: 'CNYX', total: 1_000, count: 3, split: 'equal', expiresAt, memo: '新年快乐' },
    },
  ]);
  packetId = receipts.packet.id;
  receipts.claimBob = await h.send(bob, [
    { contract: 'assets', name: 'claimPacket', params: { id: packetId } },
  ]);
  receipts.claimCarol = await h.send(carol, [
    { contract: 'assets', name: 'claimPacket', params: { id: packetId } },
  ]);
  receipts.claimAgain = await h.send(bob, [
    { contract: 'assets', name: 'claimPacket', params: { id: packetId } },
  ]);
  receipts.refundEarly = await h.send(alice, [
    { contract: 'assets', name: 'refundPacket', params: { id: packetId } },
  ]);
  skew += expiresAt + 50 - clock();
  receipts.claimLate = await h.send(dave, [
    { contract: 'assets', name: 'claimPacket', params: { id: packetId } },
  ]);
  receipts.refund = await h.send(alice, [
    { contract: 'assets', name: 'refundPacket', params: { id: packetId } },
  ]);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('the scenario ran on the chain', () => {
  it('every action succeeded, and the refused ones failed with their codes', () => {
    for (const [name, receipt] of Object.entries(receipts)) {
      const expected: Record<string, string> = {
        failed: 'insufficient_funds',
        claimAgain: 'already_exists',
        refundEarly: 'not_allowed',
        claimLate: 'expired',
      };
      if (expected[name]) {
        expect(receipt.ok, name).toBe(false);
        expect(receipt.code, name).toBe(expected[name]);
      } else expect(receipt.ok, `${name}: ${receipt.code}`).toBe(true);
    }
  });
});

const view = (
  items: {
    kind: string;
    direction: string;
    symbol: string;
    amount: string | null;
    counterparty: string | null;
    memo: string | null;
    ref: string | null;
  }[],
) => items.map((r) => [r.kind, r.direction, r.symbol, r.amount, r.counterparty, r.memo, r.ref]);

describe('history', () => {
  it("builds each account's history, newest first, with directions, counterparties and memos", async () => {
    const { alice, bob, carol, dave } = h.people;
    const of = async (who: typeof alice) => {
      const page = await h.caller(h.userOf(who)).history({ limit: 100 });
      expect(page.nextCursor).toBeNull();
      return view(page.items);
    };
    expect(await of(alice)).toEqual([
      ['packet_refund', 'in', 'CNYX', '334', null, null, packetId],
      ['packet_create', 'out', 'CNYX', '1000', null, null, packetId],
      ['transfer', 'in', 'GENX', '40', bob.address, null, null],
      ['transfer', 'out', 'CNYX', '12345', bob.address, '午饭', null],
      ['mint', 'in', 'CNYX', '1000000', alice.address, null, null],
      ['issue', 'none', 'CNYX', null, null, null, null],
    ]);
    expect(await of(bob)).toEqual([
      ['packet_claim', 'in', 'CNYX', '333', alice.address, null, packetId],
      ['transfer', 'out', 'GENX', '40', alice.address, null, null],
      ['transfer', 'out', 'CNYX', '2000', dave.address, null, null],
      ['burn', 'out', 'CNYX', '345', null, null, null],
      ['transfer', 'in', 'CNYX', '12345', alice.address, '午饭', null],
    ]);
    expect(await of(carol)).toEqual([
      ['packet_claim', 'in', 'CNYX', '333', alice.address, null, packetId],
      ['mint', 'in', 'CNYX', '50000', alice.address, null, null],
    ]);
    expect(await of(dave)).toEqual([
      ['transfer', 'in', 'CNYX', '2000', bob.address, null, null],
      ['unfreeze', 'none', 'CNYX', null, alice.address, null, '已核实'],
      ['freeze', 'none', 'CNYX', null, alice.address, null, '核查'],
    ]);
  });

  it('gives each row its tx, block time, position and the asset decimals', async () => {
    const { items } = await h
      .caller(h.userOf(h.people.alice))
      .history({ kind: 'transfer', direction: 'out' });
    expect(items).toHaveLength(1);
    const row = items[0]!;
    expect(row.txId).toBe(receipts.pay!.id);
    expect(row.height).toBe(receipts.pay!.height);
    expect(row.decimals).toBe(2);
    const block = await h.services.chain.client.getBlock(row.height);
    expect(row.time).toBe(block.time);
    const tx = await h.services.chain.client.getTx(row.txId);
    const event = tx.events.find((e) => e.name === 'transferred')!;
    expect(row.index).toBe(event.index);
    // A genesis asset's decimals come from the chain.
    const genx = await h.caller(h.userOf(h.people.bob)).history({ asset: 'GENX' });
    expect(genx.items.map((r) => [r.symbol, r.decimals])).toEqual([['GENX', 0]]);
  });

  it('filters by asset, direction, kind and dates', async () => {
    const bob = h.caller(h.userOf(h.people.bob));
    expect(view((await bob.history({ asset: 'GENX' })).items).map((r) => r[0])).toEqual(['transfer']);
    expect((await bob.history({ direction: 'in' })).items.map((r) => r.kind)).toEqual([
      'packet_claim',
      'transfer',
    ]);
    expect((await bob.history({ direction: 'out', asset: 'CNYX' })).items.map((r) => r.kind)).toEqual([
      'transfer',
      'burn',
    ]);
    expect((await bob.history({ kind: 'burn' })).items.map((r) => r.amount)).toEqual(['345']);
    const all = (await bob.history({ limit: 100 })).items;
    const claimTime = all[0]!.time;
    const burnTime = all.find((r) => r.kind === 'burn')!.time;
    expect((await bob.history({ from: claimTime })).items.map((r) => r.kind)).toEqual(['packet_claim']);
    expect((await bob.history({ to: burnTime + 1, from: burnTime })).items.map((r) => r.kind)).toEqual([
      'burn',
    ]);
    expect((await bob.history({ to: all[all.length - 1]!.time })).items).toEqual([]);
  });

  it('pages by keyset: every page continues where the last ended, and filters hold across pages', async () => {
    const alice = h.caller(h.userOf(h.people.alice));
    const everything = (await alice.history({ limit: 100 })).items;
    const walked: typeof everything = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof alice.history>> = await alice.history({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(walked).toEqual(everything);

    const cnyx: typeof everything = [];
    cursor = null;
    do {
      const page: Awaited<ReturnType<typeof alice.history>> = await alice.history({
        asset: 'CNYX',
        limit: 1,
        cursor,
      });
      cnyx.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(cnyx).toEqual(everything.filter((r) => r.symbol === 'CNYX'));
  });

  it('refuses malformed filters with a 400 naming the field', async () => {
    const alice = h.caller(h.userOf(h.people.alice));
    await expect(alice.history({ asset: 'cnyx' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(alice.history({ cursor: '1; drop table' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(alice.history({ kind: 'steal' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(alice.history({ limit: 1000 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('red packets', () => {
  it('shows who claimed how much, what went back and that it expired', async () => {
    const { alice, bob, carol } = h.people;
    const packet = await h.caller(null).packets.get({ id: packetId });
    expect(packet).toMatchObject({
      id: packetId,
      symbol: 'CNYX',
      decimals: 2,
      assetName: '数字人民币券',
      creator: alice.address,
      total: '1000',
      count: 3,
      split: 'equal',
      expiresAt,
      status: 'refunded',
      remaining: '334',
      claimed: 2,
      createdTxId: packetId,
      refundTxId: receipts.refund!.id,
      memo: '新年快乐',
      expired: true,
      claimable: false,
      refundable: false,
      me: null,
    });
    expect(packet.claims.map((c) => [c.claimer, c.amount, c.txId])).toEqual([
      [bob.address, '333', receipts.claimBob!.id],
      [carol.address, '333', receipts.claimCarol!.id],
    ]);
    expect(packet.link).toBe(`${h.url}/wallet/#/packet/${packetId}`);
    const asBob = await h.caller(h.userOf(bob)).packets.get({ id: packetId });
    expect(asBob.me).toEqual({ address: bob.address, isCreator: false, claimed: '333' });
    // The read model agrees with the contract's own record.
    const state = (await h.services.chain.client.state(`assets/packet/${packetId}`)).value as Record<
      string,
      unknown
    >;
    expect(state.status).toBe('refunded');
    expect(String(state.remaining)).toBe(packet.remaining);
  });

  it('lists the packets I created and the ones I claimed from', async () => {
    const { alice, bob } = h.people;
    const mine = await h.caller(h.userOf(alice)).packets.mine();
    expect(mine.created.map((p) => [p.id, p.status])).toEqual([[packetId, 'refunded']]);
    expect(mine.claimed).toEqual([]);
    const bobs = await h.caller(h.userOf(bob)).packets.mine();
    expect(bobs.created).toEqual([]);
    expect(bobs.claimed.map((p) => [p.id, p.amount, p.claimTxId])).toEqual([
      [packetId, '333', receipts.claimBob!.id],
    ]);
  });

  it('answers NOT_FOUND for an unknown packet and BAD_REQUEST for a malformed id', async () => {
    await expect(h.caller(null).packets.get({ id: 'ab'.repeat(32) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(h.caller(null).packets.get({ id: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('balances and assets', () => {
  it('balances match the chain state, with names, decimals, issuers and frozen flags', async () => {
    for (const who of Object.values(h.people)) {
      const balances = await h.caller(h.userOf(who)).balances();
      const account = await h.services.chain.client.account(who.address);
      expect(Object.fromEntries(balances.map((b) => [b.symbol, b.amount]))).toEqual(account.balances);
    }
    const alice = await h.caller(h.userOf(h.people.alice)).balances();
    expect(alice).toEqual([
      {
        symbol: 'CNYX',
        name: '数字人民币券',
        decimals: 2,
        issuer: h.people.alice.address,
        policy: 'mintable',
        amount: '986989',
        frozen: false,
      },
      {
        symbol: 'GENX',
        name: 'Genesis points',
        decimals: 0,
        issuer: h.people.carol.address,
        policy: 'fixed',
        amount: '40',
        frozen: false,
      },
    ]);
  });

  it('shows a frozen holding as frozen', async () => {
    const { alice, dave } = h.people;
    await h.send(alice, [
      {
        contract: 'assets',
        name: 'freeze',
        params: { symbol: 'CNYX', account: dave.address, reason: '再次核查' },
      },
    ]);
    expect((await h.caller(h.userOf(dave)).balances()).map((b) => [b.symbol, b.frozen])).toEqual([
      ['CNYX', true],
    ]);
    await h.send(alice, [
      {
        contract: 'assets',
        name: 'unfreeze',
        params: { symbol: 'CNYX', account: dave.address, reason: '解除' },
      },
    ]);
    expect((await h.caller(h.userOf(dave)).balances()).map((b) => [b.symbol, b.frozen])).toEqual([
      ['CNYX', false],
    ]);
  });

  it('lists the assets I issued with live supply, policy and holders', async () => {
    const mine = await h.caller(h.userOf(h.people.alice)).assets.mine();
    expect(mine).toEqual([
      {
        symbol: 'CNYX',
        name: '数字人民币券',
        decimals: 2,
        issuer: h.people.alice.address,
        policy: 'mintable',
        supply: '1049655',
        maxSupply: '5000000',
        createdAt: receipts.issue!.height,
        locked: '0',
        holders: 4,
        issuedTxId: receipts.issue!.id,
        issuedAt: expect.any(Number),
      },
    ]);
    // Carol's asset came from genesis: found through her balances, holders unknown to the index.
    const carol = await h.caller(h.userOf(h.people.carol)).assets.mine();
    expect(carol.map((a) => [a.symbol, a.supply, a.holders, a.issuedTxId])).toEqual([
      ['GENX', '600', null, null],
    ]);
    expect(await h.caller(h.userOf(h.people.bob)).assets.mine()).toEqual([]);
  });

  it('answers who may issue from the identity contract', async () => {
    expect(await h.caller(h.userOf(h.people.alice)).canIssue()).toEqual({
      address: h.people.alice.address,
      verified: true,
    });
    expect((await h.caller(h.userOf(h.people.bob)).canIssue()).verified).toBe(false);
    expect((await h.caller(h.userOf(h.people.dave)).canIssue()).verified).toBe(false);
    // And the chain agrees: bob's issue fails as not_authorized.
    const refused = await h.send(h.people.bob, [
      {
        contract: 'assets',
        name: 'issue',
        params: { symbol: 'BOBX', name: 'Bob', decimals: 0, policy: 'fixed', initialSupply: 1 },
      },
    ]);
    expect(refused).toMatchObject({ ok: false, code: 'not_authorized' });
  });

  it('builds payment requests for the receive page', async () => {
    const alice = h.caller(h.userOf(h.people.alice));
    const address = h.people.alice.address;
    expect((await alice.receiveLink()).uri).toBe(`gongxin:pay?to=${address}`);
    const withAmount = await alice.receiveLink({ asset: 'CNYX', amount: '1250' });
    expect(withAmount.uri).toBe(`gongxin:pay?to=${address}&asset=CNYX&amount=1250`);
    expect(withAmount.asset).toEqual({ symbol: 'CNYX', name: '数字人民币券', decimals: 2 });
    await expect(alice.receiveLink({ amount: '5' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(alice.receiveLink({ asset: 'CNYX', amount: '1.5' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(alice.receiveLink({ asset: 'NOPE' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('protected procedures', () => {
  it('refuse a caller without a session', async () => {
    const anonymous = h.caller(null);
    for (const call of [
      () => anonymous.balances(),
      () => anonymous.history({}),
      () => anonymous.assets.mine(),
      () => anonymous.packets.mine(),
      () => anonymous.receiveLink(),
      () => anonymous.canIssue(),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });
});

describe('rebuild', () => {
  const dump = async () => {
    const { db } = h.services.database;
    const order = sql`1, 2, 3`;
    return {
      assets: await db.select().from(assets).orderBy(sql`1`),
      holdings: await db.select().from(holdings).orderBy(sql`1, 2`),
      history: await db.select().from(history).orderBy(order),
      packets: await db.select().from(packets).orderBy(sql`1`),
      claims: await db.select().from(packetClaims).orderBy(sql`1, 2`),
    };
  };

  it('replaying the chain from genesis gives exactly the live read models', async () => {
    const live = await dump();
    expect(live.history.length).toBeGreaterThan(15);
    expect(live.holdings.map((r) => [r.account, r.amount])).toContainEqual([h.people.alice.address, 986989n]);
    await h.mounted.indexer!.rebuild();
    expect(await dump()).toEqual(live);
    // Holdings equal the chain's balances for every tracked asset.
    for (const row of live.holdings) {
      const account = await h.services.chain.client.account(row.account);
      expect(account.balances[row.symbol]).toBe(row.amount.toString());
    }
  });
});

describe('counterparties named', () => {
  it('names an authority as governance records it and a demo person, and leaves others to their address', async () => {
    const { alice, bob } = h.people;
    const authority = testAccount(h.suite, 10).address;
    const zhang = demoAccounts(h.suite).find((a) => a.name === '张三')!;
    const pay = (to: string) => ({
      contract: 'assets',
      name: 'transfer',
      params: { symbol: 'CNYX', to, amount: 1 },
    });
    const sent = await h.send(alice, [pay(authority), pay(zhang.address), pay(bob.address)] as never);
    expect(sent.ok).toBe(true);
    const page = await h.caller(h.userOf(alice)).history({ limit: 3 });
    expect(page.items.map((r) => r.counterparty).sort()).toEqual(
      [authority, zhang.address, bob.address].sort(),
    );
    expect(page.names).toEqual({ [authority]: '身份认证机构', [zhang.address]: '张三' });
  });
});
