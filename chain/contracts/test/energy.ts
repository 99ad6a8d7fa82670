// The energy contract's test chain: the market configured, alice's certified plant p1 with meter m1, a
// grid operator and the solar app's ingester.
import type { Validator, Value } from '@gongxin/ledger';
import { energyContract } from '../src/energy/contract';
import { energyContractV2 } from '../src/energy/contract-v2';
import { accounts, call, demoGenesis, hash32, suite, TestChain, testAccount } from './chain';

const { alice, bob, carol } = accounts;
/** The grid operator (energy/operator) and the solar app's ingester (energy/ingester). */
export const grid = testAccount(suite, 30);
export const ingester = testAccount(suite, 31);
export const owner2 = testAccount(suite, 32);

export const energy = (name: string, params: Record<string, unknown>) =>
  call('energy', name, params as never);

/** The owners' points asset (0 decimals, mintable, issued by the grid operator). */
export const POINTS = 'PTS';

function energyGenesis(version: 1 | 2): Record<string, Value> {
  const g = demoGenesis() as {
    governance: Record<string, Value>;
    identity: { accounts: Value[]; roles: Value[] };
    assets: { assets: Value[] };
  } & Record<string, Value>;
  if (version === 2) g.governance.activations = [{ contract: 'energy', version: 2 }];
  g.identity.accounts.push(
    { address: grid.address, kind: 'organization' },
    { address: ingester.address, kind: 'service' },
    { address: owner2.address, kind: 'person' },
  );
  g.identity.roles.push(
    { subject: grid.address, app: 'energy', role: 'operator' },
    { subject: ingester.address, app: 'energy', role: 'ingester' },
  );
  g.assets.assets.push({
    symbol: POINTS,
    name: '光伏积分',
    decimals: 0,
    policy: 'mintable',
    issuer: grid.address,
    balances: {},
  });
  (g.assets.assets[0] as { balances: Record<string, Value> }).balances = {
    [alice.address]: 1_000_000,
    [bob.address]: 1_000_000,
    [carol.address]: 1_000_000,
    [grid.address]: 10_000_000,
    [owner2.address]: 1_000_000,
  };
  return g;
}

export const TARIFFS = { gridFee: 5_000, imbalance: 60_000, feedIn: 35_000, subsidyRate: 30_000 };

/**
 * A chain with the market configured, alice's certified plant 阳光一号 and its meter m1. Both energy
 * versions are registered; `version: 2` activates v2 from genesis and configures the points asset.
 */
export function energyChain(opts: { version?: 1 | 2; validators?: Validator[] } = {}): TestChain {
  const version = opts.version ?? 1;
  const chain = new TestChain({
    contracts: energyGenesis(version),
    extra: [energyContract, energyContractV2],
    ...(opts.validators && { validators: opts.validators }),
  });
  chain.ok(
    grid,
    energy('configure', { currency: 'CNYX', ...TARIFFS, ...(version === 2 && { points: POINTS }) }),
  );
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
