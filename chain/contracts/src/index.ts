// @gongxin/contracts: the core contracts every Gongxin chain runs (governance, identity, assets,
// notary), their read-only views for apps, the library functions later contracts build on, and the
// state invariants. Pure like the ledger: no clock, no randomness, no I/O.
import { type ContractModule, ContractRegistry } from '@gongxin/ledger';
import { assetsContract } from './assets/contract';
import { channelsContract } from './channels/contract';
import { copyrightContract } from './copyright/contract';
import { energyContract } from './energy/contract';
import { energyContractV2 } from './energy/contract-v2';
import { foodContract } from './food/contract';
import { governanceContract } from './governance/contract';
import { identityContract } from './identity/contract';
import { notaryContract } from './notary/contract';
import { parkingContract } from './parking/contract';
import { registryContract } from './registry/contract';
import { registryContractV2 } from './registry/contract-v2';
import { welfareContract } from './welfare/contract';

export { assetsContract, REGULATOR_ROLE } from './assets/contract';
export { credit, debit, lock, transferBetween, unlock } from './assets/library';
export { MAX_PACKET_LIFETIME_MS, MAX_PACKET_SHARES, nextShare } from './assets/packets';
export * from './assets/views';
export * from './calendar/calendar';
export * from './common';
export * from './events';
export {
  DEFAULT_DEADLINE_BLOCKS,
  governanceContract,
  MAX_DEADLINE_BLOCKS,
  MAX_VALIDATOR_POWER,
  MAX_VALIDATORS,
  VALIDATOR_CHANGE_DELAY,
} from './governance/contract';
export * from './governance/views';
export { IDENTITY_SCOPE, identityContract } from './identity/contract';
export * from './identity/views';
export { checkInvariants, type ScannableState } from './invariants';
export * from './notary/contract';

/** Governance first: other contracts' genesis sections may read the authorities it seeds. */
export const coreContracts: readonly ContractModule[] = [
  governanceContract,
  identityContract,
  assetsContract,
  notaryContract,
];

/** A registry with the core contracts and any others the chain runs (apps' contracts, test versions). */
export function createCoreRegistry(extra: readonly ContractModule[] = []): ContractRegistry {
  return new ContractRegistry([...coreContracts, ...extra]);
}
export * from './channels/contract';
export * from './channels/proofs';
export * from './copyright/categories';
export * from './copyright/contract';
export * from './copyright/rights';
export * from './copyright/views';
export * from './energy/contract';
export * from './energy/contract-v2';
export * from './energy/market';
export * from './energy/views';
export * from './food/contract';
export * from './food/views';
export * from './parking/contract';
export * from './parking/tariff';
export * from './parking/views';
export * from './registry/codes';
export * from './registry/contract';
export * from './registry/contract-v2';
export * from './registry/matching';
export * from './registry/views';
export * from './welfare/contract';
export * from './welfare/means-test';
export * from './welfare/views';

/** The domain apps' contracts every node of the suite's chain runs beside the core ones. */
export const suiteContracts: readonly ContractModule[] = [
  foodContract,
  copyrightContract,
  registryContract,
  registryContractV2,
  welfareContract,
  parkingContract,
  energyContract,
  energyContractV2,
  channelsContract,
];

/**
 * Contract versions a new chain runs from genesis. An existing chain keeps replaying the versions it ran
 * and moves to these only through a governance `activateContract` proposal.
 */
export const NEW_CHAIN_ACTIVATIONS: readonly { contract: string; version: number }[] = [
  { contract: 'energy', version: 2 },
  { contract: 'registry', version: 2 },
];

/**
 * The genesis sections of a new chain with the newest contract versions active from its start: adds
 * NEW_CHAIN_ACTIVATIONS to the governance section, keeping a higher version a section already names.
 */
export function withNewChainActivations<T extends Record<string, unknown>>(contracts: T): T {
  const governance = (contracts.governance ?? {}) as Record<string, unknown>;
  const given = (governance.activations ?? []) as { contract: string; version: number }[];
  const versions = new Map<string, number>();
  for (const a of [...NEW_CHAIN_ACTIVATIONS, ...given])
    versions.set(a.contract, Math.max(a.version, versions.get(a.contract) ?? 0));
  return {
    ...contracts,
    governance: {
      ...governance,
      activations: [...versions].map(([contract, version]) => ({ contract, version })),
    },
  };
}

/**
 * The registry every node of a Gongxin chain runs: core plus the suite's app contracts. Validators, the
 * CLI's `verify` and the embedded chain must agree on it, or they would execute blocks differently.
 */
export function createSuiteRegistry(extra: readonly ContractModule[] = []): ContractRegistry {
  return createCoreRegistry([...suiteContracts, ...extra]);
}
