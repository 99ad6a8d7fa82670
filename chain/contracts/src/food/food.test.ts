import type { Value } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  BLOCK_MS,
  call,
  demoGenesis,
  eventNamed,
  hash32,
  suite,
  TestChain,
  testAccount,
} from '../../test/chain';
import { foodContract, MAX_ANCHORED_EPCS, RECORD_TIME_TOLERANCE_MS } from './contract';
import {
  alertOf,
  eventAnchorOf,
  eventErrorOf,
  hasFoodRole,
  locationOf,
  productOf,
  recallOf,
  recallsOfLot,
} from './views';

const { alice, bob, carol, dave, authority, regulator, mallory } = accounts;
/** The food app's service account (role food:monitor). */
const monitor = testAccount(suite, 20);

const food = (name: string, params: Record<string, unknown>) => call('food', name, params as never);

/** Demo identities plus food roles: alice farm, bob processor, carol retailer, regulator, monitor. */
function foodGenesis(): Record<string, Value> {
  const genesis = demoGenesis() as { identity: { accounts: Value[]; roles: Value[] } } & Record<
    string,
    Value
  >;
  genesis.identity.accounts.push(
    { address: dave.address, kind: 'organization' },
    { address: monitor.address, kind: 'service' },
  );
  genesis.identity.roles.push(
    { subject: alice.address, app: 'food', role: 'farm' },
    { subject: bob.address, app: 'food', role: 'processor' },
    { subject: carol.address, app: 'food', role: 'retailer' },
    { subject: regulator.address, app: 'food', role: 'regulator' },
    { subject: monitor.address, app: 'food', role: 'monitor' },
  );
  return genesis;
}

const newChain = () => new TestChain({ contracts: foodGenesis(), extra: [foodContract] });

const LOT = 'https://id.gs1.org/01/06901234567892/10/FARM-2024-07';
const anchorOf = (n: number, extra: Record<string, unknown> = {}) =>
  food('anchorEvent', {
    eventHash: hash32(n),
    eventType: 'ObjectEvent',
    bizStep: 'commissioning',
    epcs: [LOT],
    recordTime: 1,
    ...extra,
  });

describe('food roles', () => {
  it('come from identity: granted and revoked by an identity authority', () => {
    const chain = newChain();
    chain.fails('not_authorized', dave, anchorOf(1));
    chain.ok(
      authority,
      call('identity', 'grantRole', { subject: dave.address, app: 'food', role: 'logistics' }),
    );
    expect(hasFoodRole(chain.store, dave.address)).toBe(true);
    chain.ok(dave, anchorOf(1));
    chain.ok(
      authority,
      call('identity', 'revokeRole', {
        subject: dave.address,
        app: 'food',
        role: 'logistics',
        reason: 'contract ended',
      }),
    );
    chain.fails('not_authorized', dave, anchorOf(2));
    // A role in another app does not count.
    chain.ok(
      authority,
      call('identity', 'grantRole', { subject: dave.address, app: 'parking', role: 'operator' }),
    );
    chain.fails('not_authorized', dave, anchorOf(3));
    expect(hasFoodRole(chain.store, mallory.address)).toBe(false);
  });
});

describe('anchorEvent', () => {
  it('records the event hash with its type, step, EPCs and record time, for any food role', () => {
    const chain = newChain();
    const { receipt, events } = chain.run(alice, anchorOf(0xfeed, { recordTime: chain.time }));
    expect(receipt.ok).toBe(true);
    expect(events.map((e) => [e.contract, e.name, e.attrs])).toEqual([
      [
        'food',
        'anchored',
        {
          hash: hash32(0xfeed),
          eventType: 'ObjectEvent',
          bizStep: 'commissioning',
          epcs: [LOT],
          epcCount: 1,
          by: alice.address,
        },
      ],
    ]);
    expect(eventAnchorOf(chain.store, hash32(0xfeed).toUpperCase())).toMatchObject({
      hash: hash32(0xfeed),
      eventType: 'ObjectEvent',
      bizStep: 'commissioning',
      epcs: [LOT],
      epcCount: 1,
      recordTime: chain.time - 1000,
      by: alice.address,
      at: 1,
    });
    for (const who of [bob, carol, regulator, monitor]) chain.ok(who, anchorOf(0x100 + chain.height));
  });

  it('takes a Merkle root and count instead of a long EPC list, and no bizStep when the event has none', () => {
    const chain = newChain();
    const epcs = Array.from({ length: MAX_ANCHORED_EPCS }, (_, i) => `${LOT}-${i}`);
    chain.ok(bob, anchorOf(1, { epcs }));
    chain.fails('invalid_params', bob, anchorOf(2, { epcs: [...epcs, 'one-too-many'] }));
    const events = chain.ok(
      bob,
      anchorOf(3, {
        eventType: 'TransformationEvent',
        bizStep: undefined,
        epcs: undefined,
        epcsRoot: hash32(9),
        epcCount: 5000,
      }),
    );
    expect(eventNamed(events, 'anchored')).toEqual({
      hash: hash32(3),
      eventType: 'TransformationEvent',
      epcsRoot: hash32(9),
      epcCount: 5000,
      by: bob.address,
    });
    chain.fails('invalid_params', bob, anchorOf(4, { epcsRoot: hash32(9), epcCount: 2 }));
    chain.fails('invalid_params', bob, anchorOf(5, { epcs: undefined, epcsRoot: hash32(9) }));
  });

  it('refuses outsiders, a second anchor of a hash, future record times and malformed params', () => {
    const chain = newChain();
    chain.fails('not_authorized', mallory, anchorOf(1));
    chain.fails('not_authorized', authority, anchorOf(1));
    chain.ok(alice, anchorOf(1));
    const message = chain.fails('already_exists', bob, anchorOf(1));
    expect(message).toContain(alice.address);
    chain.fails(
      'not_allowed',
      alice,
      anchorOf(2, { recordTime: chain.time + BLOCK_MS + RECORD_TIME_TOLERANCE_MS + 1 }),
    );
    chain.ok(alice, anchorOf(3, { recordTime: chain.time + BLOCK_MS + RECORD_TIME_TOLERANCE_MS }));
    chain.fails('invalid_params', alice, anchorOf(4, { eventType: 'ShippingEvent' }));
    chain.fails('invalid_params', alice, anchorOf(5, { eventHash: 'ni:///sha-256;abc' }));
    chain.fails('invalid_params', alice, anchorOf(6, { recordTime: -1 }));
    chain.fails('invalid_params', alice, anchorOf(7, { epcs: ['has space'] }));
    chain.fails('invalid_params', alice, anchorOf(8, { extra: true }));
  });
});

describe('products and locations', () => {
  it('are registered once by an organisation, with check digits verified', () => {
    const chain = newChain();
    const events = chain.ok(
      alice,
      food('registerProduct', { gtin: '06901234567892', name: '有机菠菜', category: 'vegetables' }),
    );
    expect(eventNamed(events, 'productRegistered')).toEqual({
      gtin: '06901234567892',
      name: '有机菠菜',
      category: 'vegetables',
      by: alice.address,
    });
    expect(productOf(chain.store, '06901234567892')).toEqual({
      gtin: '06901234567892',
      name: '有机菠菜',
      category: 'vegetables',
      by: alice.address,
      at: 1,
    });
    chain.fails(
      'already_exists',
      bob,
      food('registerProduct', { gtin: '06901234567892', name: 'x', category: 'meat' }),
    );
    chain.fails(
      'invalid_params',
      bob,
      food('registerProduct', { gtin: '06901234567893', name: 'typo', category: 'meat' }),
    );
    chain.fails(
      'invalid_params',
      bob,
      food('registerProduct', { gtin: '6901234567892', name: 'GTIN-13', category: 'meat' }),
    );
    chain.fails(
      'invalid_params',
      bob,
      food('registerProduct', { gtin: '06901234567892', name: 'x', category: 'Meat!' }),
    );
    chain.fails(
      'not_authorized',
      monitor,
      food('registerProduct', { gtin: '00000000000017', name: 'x', category: 'meat' }),
    );

    chain.ok(
      carol,
      food('registerLocation', {
        gln: '6901234000009',
        name: '北京朝阳门店',
        lat: 39_921_500,
        lon: 116_443_300,
      }),
    );
    expect(locationOf(chain.store, '6901234000009')).toMatchObject({
      name: '北京朝阳门店',
      latE6: 39_921_500,
      lonE6: 116_443_300,
      by: carol.address,
    });
    chain.ok(bob, food('registerLocation', { gln: '6901234000016', name: 'Processing plant' }));
    expect(locationOf(chain.store, '6901234000016')).toEqual({
      gln: '6901234000016',
      name: 'Processing plant',
      by: bob.address,
      at: chain.height,
    });
    chain.fails('already_exists', bob, food('registerLocation', { gln: '6901234000009', name: 'again' }));
    chain.fails('invalid_params', bob, food('registerLocation', { gln: '6901234000008', name: 'typo' }));
    chain.fails(
      'invalid_params',
      bob,
      food('registerLocation', { gln: '6901234000023', name: 'x', lat: '39.9', lon: '116.4' }),
    );
    chain.fails(
      'invalid_params',
      bob,
      food('registerLocation', { gln: '6901234000023', name: 'x', lat: 91_000_000, lon: 0 }),
    );
    chain.fails('invalid_params', bob, food('registerLocation', { gln: '6901234000023', name: 'x', lat: 1 }));
    chain.fails('not_authorized', mallory, food('registerLocation', { gln: '6901234000023', name: 'x' }));
  });
});

describe('recalls', () => {
  it('are issued by regulators, kept per lot, and never by others', () => {
    const chain = newChain();
    const other = 'https://id.gs1.org/01/06901234567892/10/FARM-2024-08';
    const { receipt, events } = chain.run(
      regulator,
      food('issueRecall', { lots: [LOT, other], reason: '农药残留超标' }),
    );
    const id = Buffer.from(receipt.txId).toString('hex');
    expect(events.map((e) => [e.name, e.attrs])).toEqual([
      ['recalled', { id, lots: [LOT, other], reason: '农药残留超标', by: regulator.address }],
    ]);
    expect(recallOf(chain.store, id)).toEqual({
      id,
      lots: [LOT, other],
      reason: '农药残留超标',
      by: regulator.address,
      at: 1,
      time: chain.time,
    });
    chain.ok(regulator, food('issueRecall', { lots: [LOT], reason: 'extended' }));
    expect(recallsOfLot(chain.store, LOT).map((r) => r.reason)).toEqual(['农药残留超标', 'extended']);
    expect(recallsOfLot(chain.store, 'https://id.gs1.org/01/06901234567892/10/CLEAN')).toEqual([]);

    chain.fails('not_authorized', alice, food('issueRecall', { lots: [LOT], reason: 'farm cannot recall' }));
    chain.fails(
      'not_authorized',
      monitor,
      food('issueRecall', { lots: [LOT], reason: 'monitor cannot recall' }),
    );
    chain.fails('invalid_params', regulator, food('issueRecall', { lots: [], reason: 'none' }));
    chain.fails('invalid_params', regulator, food('issueRecall', { lots: [LOT, LOT], reason: 'twice' }));
    chain.fails('invalid_params', regulator, food('issueRecall', { lots: [LOT] }));
  });
});

describe('alerts', () => {
  const raise = (extra: Record<string, unknown> = {}) =>
    food('raiseAlert', {
      kind: 'cold_chain',
      subject: LOT,
      evidence: [hash32(1), hash32(2)],
      severity: 'critical',
      ...extra,
    });

  it('are raised by the monitor or a regulator and resolved by a regulator, once', () => {
    const chain = newChain();
    const { receipt, events } = chain.run(monitor, raise());
    const id = Buffer.from(receipt.txId).toString('hex');
    expect(events.map((e) => [e.name, e.attrs])).toEqual([
      ['alertRaised', { id, kind: 'cold_chain', subject: LOT, severity: 'critical', by: monitor.address }],
    ]);
    expect(alertOf(chain.store, id)).toMatchObject({
      status: 'open',
      evidence: [hash32(1), hash32(2)],
      by: monitor.address,
    });
    chain.ok(regulator, raise({ kind: 'recalled_sold', severity: 'warning' }));

    // The monitor withdraws only its own alerts (their evidence retracted); a regulator's is not its to judge.
    const byRegulator = eventNamed(chain.ok(regulator, raise()), 'alertRaised').id as string;
    chain.fails(
      'not_authorized',
      monitor,
      food('resolveAlert', { id: byRegulator, resolution: 'self-service' }),
    );
    chain.fails('not_authorized', carol, food('resolveAlert', { id, resolution: 'retailer' }));
    const resolved = chain.ok(regulator, food('resolveAlert', { id, resolution: '已销毁问题批次' }));
    expect(eventNamed(resolved, 'alertResolved')).toEqual({
      id,
      by: regulator.address,
      resolution: '已销毁问题批次',
    });
    expect(alertOf(chain.store, id)).toMatchObject({
      status: 'resolved',
      resolved: { by: regulator.address, resolution: '已销毁问题批次' },
    });
    chain.fails('not_allowed', regulator, food('resolveAlert', { id, resolution: 'again' }));
    chain.fails(
      'not_found',
      regulator,
      food('resolveAlert', { id: hash32(77), resolution: 'no such alert' }),
    );
  });

  it('refuses other raisers and malformed alerts', () => {
    const chain = newChain();
    chain.fails('not_authorized', alice, raise());
    chain.fails('not_authorized', mallory, raise());
    chain.fails('invalid_params', monitor, raise({ evidence: [] }));
    chain.fails('invalid_params', monitor, raise({ evidence: ['not a hash'] }));
    chain.fails('invalid_params', monitor, raise({ severity: 'info' }));
    chain.fails('invalid_params', monitor, raise({ kind: 'Cold Chain' }));
    chain.fails('invalid_params', monitor, raise({ subject: '' }));
  });
});

describe('identifiers on chain: the one GS1 validator of the suite', () => {
  it('refuses anchors, recalls and alerts naming identifiers that are not what they claim, saying which', () => {
    const chain = newChain();
    chain.ok(alice, anchorOf(1));
    for (const [bad, why] of [
      ['urn:epc:id:sgtin:notanepc', /epcs\.0: "urn:epc:id:sgtin:notanepc" is not a valid SGTIN EPC URI/],
      [
        'https://id.gs1.org/01/06902235004011/21/1',
        /epcs\.0: "https:\/\/id.gs1.org\/01\/06902235004011\/21\/1": check digit of GTIN/,
      ],
      ['https://id.gs1.org/414/6902235000015', /check digit of GLN 6902235000015/],
      [
        'urn:epc:id:sgtin:0614141.112345.400',
        /not in canonical form: send "https:\/\/id.gs1.org\/01\/10614141123459\/21\/400"/,
      ],
    ] as const) {
      expect(chain.fails('invalid_params', alice, anchorOf(2, { epcs: [bad] }))).toMatch(why);
    }
    // A private (non-GS1) URI is an identifier EPCIS allows.
    chain.ok(alice, anchorOf(3, { epcs: ['urn:example:crate:17'] }));
    const recall = chain.fails(
      'invalid_params',
      regulator,
      food('issueRecall', { lots: ['https://id.gs1.org/01/06901234567892/21/S1'], reason: 'x' }),
    );
    expect(recall).toMatch(/lots\.0: ".*" is an item \(SGTIN\); this field takes a lot or a product class/);
    chain.ok(regulator, food('issueRecall', { lots: [LOT], reason: '农残超标' }));
  });
});

describe('error declarations', () => {
  it('are declared by the anchoring organisation or a regulator, once, beside the untouched anchor', () => {
    const chain = newChain();
    chain.ok(alice, anchorOf(1));
    chain.ok(alice, anchorOf(2));
    const declare = (n: number, extra: Record<string, unknown> = {}) =>
      food('declareEventError', {
        eventHash: hash32(n),
        declarationTime: 1,
        reason: 'incorrect_data',
        corrective: [hash32(2)],
        ...extra,
      });
    chain.fails('not_authorized', bob, declare(1));
    chain.fails('not_authorized', mallory, declare(1));
    chain.fails('not_found', alice, declare(9));
    expect(chain.ok(alice, declare(1))).toEqual([
      [
        'eventErrorDeclared',
        {
          hash: hash32(1),
          declarationTime: 1,
          reason: 'incorrect_data',
          corrective: [hash32(2)],
          by: alice.address,
        },
      ],
    ]);
    expect(eventErrorOf(chain.store, hash32(1))).toMatchObject({
      reason: 'incorrect_data',
      by: alice.address,
    });
    expect(eventAnchorOf(chain.store, hash32(1))?.by).toBe(alice.address);
    chain.fails('already_exists', alice, declare(1));
    chain.ok(regulator, declare(2, { corrective: [] }));
  });
});
