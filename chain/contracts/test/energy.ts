// The energy contract's test chain: the market configured, alice's certified plant p1 with meter m1, a
// grid operator and the solar app's ingester.
import type { Value } from '@gongxin/ledger';
import { energyContract } from '../src/energy/contract';
import { accounts, call, demoGenesis, hash32, suite, TestChain, testAccount } from './chain';

const { alice, bob, carol } = accounts;
/** The grid operator (energy/operator) and the solar app's ingester (energy/ingester). */
export const grid = testAccount(suite, 30);
export const ingester = testAccount(suite, 31);
export const owner2 = testAccount(suite, 32);

export const energy = (name: string, params: Record<string, unknown>) =>
  call('energy', name, params as never);

function energyGenesis(): Record<string, Value> {
  const g = demoGenesis() as {
    identity: { accounts: Value[]; roles: Value[] };
    assets: { assets: { balances: Record<string, Value> }[] };
  } & Record<string, Value>;
  g.identity.accounts.push(
    { address: grid.address, kind: 'organization' },
    { address: ingester.address, kind: 'service' },
    { address: owner2.address, kind: 'person' },
  );
  g.identity.roles.push(
    { subject: grid.address, app: 'energy', role: 'operator' },
    { subject: ingester.address, app: 'energy', role: 'ingester' },
  );
  g.assets.assets[0]!.balances = {
    [alice.address]: 1_000_000,
    [bob.address]: 1_000_000,
    [carol.address]: 1_000_000,
    [grid.address]: 10_000_000,
    [owner2.address]: 1_000_000,
  };
  return g;
}

export const TARIFFS = { gridFee: 5_000, imbalance: 60_000, feedIn: 35_000, subsidyRate: 30_000 };

/** A chain with the market configured, alice's certified plant 阳光一号 and its meter m1. */
export function energyChain(): TestChain {
  const chain = new TestChain({ contracts: energyGenesis(), extra: [energyContract] });
  chain.ok(grid, energy('configure', { currency: 'CNYX', ...TARIFFS }));
  chain.ok(
    alice,
    energy('registerPlant', {
      id: 'p1',
      name: '阳光一号屋顶电站',
      capacityW: 500_000,
      lat: 31_230_000,
      lon: 121_470_000,
      commissioned: 1_600_000_000_000,
    }),
  );
  chain.ok(alice, energy('registerMeter', { id: 'm1', plant: 'p1', key: hash32(7) }));
  chain.ok(grid, energy('certifyPlant', { id: 'p1' }));
  return chain;
}
