import { ACTIVATIONS_KEY } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  call,
  demoGenesis,
  eventNamed,
  hash32,
  suite,
  TestChain,
  testValidator,
} from '../../test/chain';
import { energy, energyChain, grid, ingester, POINTS, TARIFFS } from '../../test/energy';
import { balanceOf } from '../assets/views';
import { withNewChainActivations } from '../index';
import { energyContract } from './contract';
import { energyContractV2 } from './contract-v2';
import { energyConfigOf, plantOf, plantPointsOf, SLOT_MS } from './views';

const { alice, bob } = accounts;

const anchor = (start: number, exportWh: number, extra: Record<string, unknown> = {}) =>
  energy('anchorInterval', {
    meter: 'm1',
    start,
    root: hash32(start % 1000),
    readings: 15,
    exportWh,
    importWh: 0,
    ...extra,
  });

const points = (chain: TestChain, who: { address: string } = alice) =>
  balanceOf(chain.store, POINTS, who.address as never);

/** The start of the `n`-th whole interval that ended before the chain's time. */
function pastSlots(chain: TestChain, n: number): number[] {
  chain.skip(n * SLOT_MS + 60_000);
  const last = Math.floor(chain.time / SLOT_MS) * SLOT_MS - SLOT_MS;
  return Array.from({ length: n }, (_, i) => last - (n - 1 - i) * SLOT_MS);
}

describe('owner points (energy v2)', () => {
  it('v1 earns no points and refuses a points asset', () => {
    const chain = energyChain();
    chain.fails(
      'invalid_params',
      grid,
      energy('configure', { currency: 'CNYX', ...TARIFFS, points: POINTS }),
    );
    const [s] = pastSlots(chain, 1);
    const events = chain.ok(ingester, anchor(s!, 2_500));
    expect(events.map(([n]) => n)).not.toContain('pointsCredited');
    expect(points(chain)).toBe(0n);
    expect(plantPointsOf(chain.store, 'p1')).toMatchObject({ earned: 0n, carryWh: 0n });
  });

  it('v2 credits 1 point per kWh to the owner and carries the Wh remainder exactly', () => {
    const chain = energyChain({ version: 2 });
    expect(energyConfigOf(chain.store)?.points).toBe(POINTS);
    const [a, b, c, d] = pastSlots(chain, 4);
    // 2,500 Wh: 2 points, 500 Wh carried.
    const first = chain.ok(ingester, anchor(a!, 2_500));
    expect(eventNamed(first, 'pointsCredited')).toMatchObject({
      plant: 'p1',
      owner: alice.address,
      symbol: POINTS,
      points: 2n,
      earned: 2n,
      carryWh: 500,
    });
    expect(points(chain)).toBe(2n);
    // 499 Wh more: 999 carried, nothing credited.
    const second = chain.ok(ingester, anchor(b!, 499));
    expect(second.map(([n]) => n)).not.toContain('pointsCredited');
    expect(plantPointsOf(chain.store, 'p1')).toMatchObject({ earned: 2n, carryWh: 999n });
    // 1 Wh more makes the third point, nothing carried.
    chain.ok(ingester, anchor(c!, 1));
    expect(points(chain)).toBe(3n);
    expect(plantPointsOf(chain.store, 'p1')).toMatchObject({ earned: 3n, carryWh: 0n });
    // An estimated interval trued down: the carry goes negative and the next export pays it back.
    chain.ok(ingester, anchor(d!, 4_200, { estimated: true }));
    expect(points(chain)).toBe(7n);
    chain.ok(ingester, anchor(d!, 3_100));
    expect(points(chain)).toBe(7n);
    expect(plantPointsOf(chain.store, 'p1')).toMatchObject({ earned: 7n, carryWh: -900n });
    const [e] = pastSlots(chain, 1);
    chain.ok(ingester, anchor(e!, 2_000));
    // Points × 1,000 + carry = every Wh anchored since points began.
    const record = plantPointsOf(chain.store, 'p1');
    expect(record).toMatchObject({ earned: 8n, carryWh: 100n });
    expect(record.earned * 1_000n + record.carryWh).toBe(plantOf(chain.store, 'p1')!.anchoredWh);
    expect(points(chain)).toBe(8n);
    expect(points(chain, bob)).toBe(0n);
  });

  it('v2 refuses a points asset that is not the operator’s whole-unit mintable asset', () => {
    const chain = energyChain({ version: 2 });
    chain.fails('not_found', grid, energy('configure', { currency: 'CNYX', ...TARIFFS, points: 'NOPE' }));
    // CNYX has 2 decimals and was issued by alice.
    chain.fails('not_allowed', grid, energy('configure', { currency: 'CNYX', ...TARIFFS, points: 'CNYX' }));
    // Without a points asset, v2 earns none.
    chain.ok(grid, energy('configure', { currency: 'CNYX', ...TARIFFS }));
    const [s] = pastSlots(chain, 1);
    chain.ok(ingester, anchor(s!, 5_000));
    expect(points(chain)).toBe(0n);
  });

  it('a governance activation switches an existing chain to v2 at its height', () => {
    const v = testValidator(suite, 1, 10);
    const chain = energyChain({ validators: [v.validator] });
    const [a, b, c] = pastSlots(chain, 3);
    const at = chain.height + 4;
    const proposed = chain.ok(
      v.account,
      call('governance', 'propose', {
        kind: 'activateContract',
        payload: { contract: 'energy', version: 2, height: at },
      } as never),
    );
    expect(eventNamed(proposed, 'contractActivated')).toMatchObject({ contract: 'energy', version: 2 });
    expect(chain.store.get(ACTIVATIONS_KEY)).toEqual({ energy: [{ version: 2, height: at }] });
    // Before the height v1 runs: no points asset can be named, the anchor earns nothing.
    chain.fails(
      'invalid_params',
      grid,
      energy('configure', { currency: 'CNYX', ...TARIFFS, points: POINTS }),
    );
    chain.ok(ingester, anchor(a!, 3_000));
    expect(chain.height).toBe(at - 1);
    expect(points(chain)).toBe(0n);
    // From the height v2 runs: the operator names the asset and anchors earn points.
    chain.ok(grid, energy('configure', { currency: 'CNYX', ...TARIFFS, points: POINTS }));
    expect(chain.env.contracts.resolve('energy', at - 1, chain.store)?.version).toBe(1);
    expect(chain.env.contracts.resolve('energy', at, chain.store)?.version).toBe(2);
    chain.ok(ingester, anchor(b!, 1_500));
    chain.ok(ingester, anchor(c!, 600));
    expect(points(chain)).toBe(2n);
    expect(plantPointsOf(chain.store, 'p1')).toMatchObject({ earned: 2n, carryWh: 100n });
  });
});

describe('new chains', () => {
  it('governance genesis activations put v2 in force from height 0; two versions of one are refused', () => {
    const chain = energyChain({ version: 2 });
    expect(chain.store.get(ACTIVATIONS_KEY)).toEqual({ energy: [{ version: 2, height: 0 }] });
    expect(chain.env.contracts.resolve('energy', 0, chain.store)?.version).toBe(2);
    const twice = {
      ...demoGenesis(),
      governance: {
        activations: [
          { contract: 'energy', version: 2 },
          { contract: 'energy', version: 3 },
        ],
      },
    };
    expect(() => new TestChain({ contracts: twice, extra: [energyContract, energyContractV2] })).toThrow(
      /name one version/,
    );
  });

  it('run energy v2 from genesis; a higher version a section names is kept', () => {
    expect(withNewChainActivations({ identity: {} })).toEqual({
      identity: {},
      governance: {
        activations: [
          { contract: 'energy', version: 2 },
          { contract: 'registry', version: 2 },
        ],
      },
    });
    const merged = withNewChainActivations({
      governance: { params: { a: 1 }, activations: [{ contract: 'energy', version: 3 }] },
    });
    expect(merged.governance).toEqual({
      params: { a: 1 },
      activations: [
        { contract: 'energy', version: 3 },
        { contract: 'registry', version: 2 },
      ],
    });
  });
});
