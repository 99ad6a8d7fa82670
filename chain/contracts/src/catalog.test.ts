import { toJsonValue } from '@gongxin/ledger';
import { describe, expect, it, vi } from 'vitest';
import { accounts, call, TestChain } from '../test/chain';
import { assetMove, assetMoveOf, balanceDeltas } from './assets/balances';
import { assetsEvents } from './assets/events';
import { attrs, checkEmitted, defineEvents, EventMismatchError } from './catalog';
import { suiteEventCatalogs } from './events';
import { foodEvents } from './food/events';
import { governanceEvents } from './governance/events';
import { coreContracts, suiteContracts } from './index';

const { alice, bob } = accounts;
const transfer = { symbol: 'CNYX', from: alice.address, to: bob.address, amount: 250n, memo: '午饭' };

describe('event catalogs', () => {
  it('exist for every contract the suite runs, and for the ledger’s own events', () => {
    // A contract's versions share its catalog.
    const contracts = [...new Set([...coreContracts, ...suiteContracts].map((c) => c.name))];
    expect(suiteEventCatalogs.map((c) => c.contract).sort()).toEqual(['core', ...contracts].sort());
  });

  it('give an example of every event that reads back (what tests of readers and decoders feed in)', () => {
    for (const catalog of suiteEventCatalogs)
      for (const name of catalog.names)
        expect(() => catalog.attrs(name, catalog.example(name))).not.toThrow();
    expect(assetsEvents.attrs('transferred', assetsEvents.example('transferred'))).toMatchObject({
      amount: 100n,
      memo: 'text',
    });
  });

  it('catch an emitted event with an attribute missing, of the wrong type, or not declared', () => {
    const check = (attributes: Record<string, unknown>) =>
      checkEmitted([{ contract: 'assets', name: 'transferred', attrs: attributes }], suiteEventCatalogs);
    expect(check(transfer)).toEqual([]);
    const { to: _to, ...withoutTo } = transfer;
    expect(check(withoutTo)).toEqual(['event 0 assets.transferred: to is missing']);
    // 250 as a number would reach readers as a JSON number while every other amount is a string.
    expect(check({ ...transfer, amount: 250 })).toEqual([
      'event 0 assets.transferred: amount: expected an amount (bigint ≥ 0), got 250',
    ]);
    expect(check({ ...transfer, amount: '250' })).toEqual([
      'event 0 assets.transferred: amount: expected an amount (bigint ≥ 0), got "250"',
    ]);
    expect(check({ ...transfer, to: `did:gx:${bob.address}` })[0]).toMatch(/to: expected address/);
    expect(check({ ...transfer, note: 'x' })).toEqual([
      'event 0 assets.transferred: note is not in the catalog',
    ]);
    expect(checkEmitted([{ contract: 'assets', name: 'stolen', attrs: {} }], suiteEventCatalogs)).toEqual([
      'event 0 assets.stolen: the event is not in the catalog',
    ]);
    // Nested values are checked too.
    expect(
      governanceEvents.check('validatorSetChanged', {
        id: 'p1',
        change: 'setPower',
        height: 9,
        validators: [{ key: new Uint8Array(32), power: '10', name: 'v1', operator: alice.address }],
      }),
    ).toEqual(['validators: [0] power: expected an integer (number), got "10"']);
  });

  it('make the contract tests fail when a contract emits an event its catalog does not describe', () => {
    const emit = assetsEvents.emit;
    const send = (chain: TestChain) =>
      chain.ok(alice, call('assets', 'transfer', { symbol: 'CNYX', to: bob.address, amount: 250 }));
    // Every TestChain block checks its events: the transfer as written passes…
    send(new TestChain());
    // …an amount emitted as text does not…
    const wrongType = vi
      .spyOn(assetsEvents, 'emit')
      .mockImplementation((ctx, name, a) =>
        emit(
          ctx,
          name,
          name === 'transferred'
            ? ({ ...a, amount: String((a as unknown as { amount: bigint }).amount) } as never)
            : a,
        ),
      );
    expect(() => send(new TestChain())).toThrow(/assets\.transferred: amount: expected an amount/);
    wrongType.mockRestore();
    // …nor does one without its recipient.
    const missing = vi.spyOn(assetsEvents, 'emit').mockImplementation((ctx, name, a) => {
      const { to: _to, ...rest } = a as { to?: string };
      return emit(ctx, name, (name === 'transferred' ? rest : a) as never);
    });
    expect(() => send(new TestChain())).toThrow(/assets\.transferred: to is missing/);
    missing.mockRestore();
  });

  it('type the emitting side: a wrong attribute does not compile', () => {
    const emitted: unknown[] = [];
    const ctx = { emit: (name: string, a: unknown) => emitted.push([name, a]) };
    assetsEvents.emit(ctx, 'transferred', transfer);
    // @ts-expect-error amounts are bigint
    assetsEvents.emit(ctx, 'transferred', { ...transfer, amount: 250 });
    // @ts-expect-error every required attribute is there
    assetsEvents.emit(ctx, 'burned', { symbol: 'CNYX', from: alice.address, amount: 1n });
    // @ts-expect-error only declared events
    assetsEvents.emit(ctx, 'stolen', {});
    expect(emitted).toHaveLength(4);
  });
});

describe('reading events from the node API', () => {
  const anchored = {
    hash: 'ab'.repeat(32),
    eventType: 'ObjectEvent',
    epcs: ['urn:epc:id:sgtin:0614141.107346.2018'],
    epcCount: 1,
    by: alice.address,
  };

  it('gives the typed values the contract emitted', () => {
    const json = toJsonValue(transfer) as Record<string, unknown>;
    expect(json).toMatchObject({ amount: '250' });
    expect(assetsEvents.parse({ contract: 'assets', name: 'transferred', attrs: json })).toEqual({
      contract: 'assets',
      name: 'transferred',
      attrs: transfer,
    });
    // Small amounts may arrive as JSON numbers (state read back, docs/api.md): the same bigint.
    expect(assetsEvents.attrs('transferred', { ...json, amount: 250 }).amount).toBe(250n);
    const key = new Uint8Array([1, 2, 254]);
    expect(
      governanceEvents.attrs('validatorSetChanged', {
        id: 'p1',
        change: 'addValidator',
        height: 7,
        validators: [{ key: '0x0102FE', power: 10, name: 'v1', operator: alice.address }],
      }).validators[0]!.key,
    ).toEqual(key);
    expect(foodEvents.parse({ contract: 'food', name: 'anchored', attrs: anchored }, 'anchored')).toEqual(
      anchored,
    );
  });

  it('names the contract, the event and the attribute when an event does not match', () => {
    const read =
      (attributes: unknown, name = 'anchored') =>
      () =>
        foodEvents.parse({ contract: 'food', name, attrs: attributes });
    const { hash: _hash, ...withoutHash } = anchored;
    expect(read(withoutHash)).toThrow(new EventMismatchError('food', 'anchored', 'hash', 'is missing'));
    expect(read(withoutHash)).toThrow('food.anchored: attribute hash is missing');
    expect(read({ ...anchored, epcCount: 'x' })).toThrow(
      'food.anchored: attribute epcCount: expected an integer, got "x"',
    );
    expect(read({ ...anchored, epcs: ['a', 7] })).toThrow(
      'food.anchored: attribute epcs[1]: expected text, got 7',
    );
    expect(read({ ...anchored, eventType: 'Shipment' })).toThrow(
      /attribute eventType: expected one of ObjectEvent/,
    );
    expect(read({ lot: 'A1' }, 'shipped')).toThrow('food.shipped: is not in the catalog');
    expect(read('not a map')).toThrow('food.anchored: expected a map of attributes, got "not a map"');
    expect(() => assetsEvents.parse({ contract: 'food', name: 'anchored', attrs: anchored })).toThrow(
      'food.anchored: is not an event of assets',
    );
    expect(() =>
      governanceEvents.attrs('validatorSetChanged', {
        id: 'p1',
        change: 'addValidator',
        height: 7,
        validators: [{ key: '0x01', name: 'v1', operator: alice.address }],
      }),
    ).toThrow('governance.validatorSetChanged: attribute validators[0].power is missing');
    let caught: unknown;
    try {
      read({ ...anchored, by: 42 })();
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ contract: 'food', event: 'anchored', field: 'by' });
  });

  it('ignores attributes a newer version added, and optional ones that are absent', () => {
    const { epcs: _epcs, ...rootOnly } = anchored;
    expect(foodEvents.attrs('anchored', { ...rootOnly, epcsRoot: 'cd'.repeat(32), extra: 1 })).toEqual({
      ...rootOnly,
      epcsRoot: 'cd'.repeat(32),
    });
  });

  it('tells events apart and hands typed attributes to handlers keyed <contract>.<event>', async () => {
    const event = { contract: 'assets', name: 'transferred', attrs: toJsonValue(transfer) };
    expect(assetsEvents.is(event)).toBe(true);
    expect(assetsEvents.is(event, 'transferred')).toBe(true);
    expect(assetsEvents.is(event, 'minted')).toBe(false);
    expect(foodEvents.is(event)).toBe(false);
    const seen: bigint[] = [];
    const handlers = assetsEvents.handlers<typeof event, [number], number>({
      transferred: (a, e, n) => {
        seen.push(a.amount);
        return e.attrs === event.attrs ? n + 1 : -1;
      },
    });
    expect(Object.keys(handlers)).toEqual(['assets.transferred']);
    expect(handlers['assets.transferred']!(event, 41)).toBe(42);
    expect(seen).toEqual([250n]);
    const words = assetsEvents.decoders({ transferred: (a, unit: string) => `${a.amount} ${unit}` });
    expect(words['assets.transferred']!(event.attrs, 'fen')).toBe('250 fen');
    expect(() => words['assets.transferred']!({ symbol: 'CNYX' }, 'fen')).toThrow(EventMismatchError);
  });

  it('are declared the same way for a new contract', () => {
    const parking = defineEvents('parking', {
      entered: { plate: attrs.hash(), lot: attrs.text(), at: attrs.int(), fee: attrs.amount().optional() },
    });
    expect(parking.attrs('entered', { plate: 'ab'.repeat(32), lot: 'P1', at: 5 })).toEqual({
      plate: 'ab'.repeat(32),
      lot: 'P1',
      at: 5,
    });
    expect(parking.check('entered', { plate: 'AB', lot: 'P1', at: 5 })).toEqual([
      'plate: expected hash, got "AB"',
    ]);
  });
});

describe('the balance reduction', () => {
  it('turns each balance event into what it takes from and gives to whom', () => {
    const moved = assetMove({ name: 'transferred', attrs: transfer });
    expect(moved).toEqual({
      kind: 'transfer',
      symbol: 'CNYX',
      from: alice.address,
      to: bob.address,
      amount: 250n,
      supply: null,
    });
    expect(balanceDeltas(moved!)).toEqual([
      { symbol: 'CNYX', account: alice.address, delta: -250n },
      { symbol: 'CNYX', account: bob.address, delta: 250n },
    ]);
    const minted = {
      contract: 'assets',
      name: 'minted',
      attrs: { symbol: 'CNYX', to: bob.address, amount: '5', supply: '105' },
    };
    expect(assetMoveOf(minted)).toMatchObject({ kind: 'mint', from: null, to: bob.address, supply: 105n });
    expect(balanceDeltas(assetMoveOf(minted)!)).toEqual([
      { symbol: 'CNYX', account: bob.address, delta: 5n },
    ]);
    // Events that move no units, and other contracts' events, give nothing.
    expect(assetMoveOf({ contract: 'assets', name: 'frozen', attrs: {} })).toBeNull();
    expect(assetMoveOf({ contract: 'food', name: 'minted', attrs: {} })).toBeNull();
    // A balance event that does not match its catalog is an error, never a silent zero.
    expect(() => assetMoveOf({ ...minted, attrs: { symbol: 'CNYX', to: bob.address } })).toThrow(
      'assets.minted: attribute amount is missing',
    );
  });
});
