// Registry contract v2: v1, and an industry code (GB/T 4754-2017) whose section letter and division
// disagree is refused — A3971 names agriculture by its letter and electronics manufacturing by its
// division 39, so no statistic can place it. v1 checked the code's shape only. Every action that carries
// a code checks it: registering, a legacy register's records, a change filing, a certificate and a
// supply–demand post. v1 stays as it was so that old blocks replay to the same state; a chain runs v2
// from the height governance activates it at (a new chain from genesis, see NEW_CHAIN_ACTIVATIONS).
import { type ActionDefinition, ContractError, type ContractModule } from '@gongxin/ledger';
import { industryMismatch } from './codes';
import { registryContract } from './contract';

/** The industry codes an action's parsed params carry, by action. */
const INDUSTRIES_OF: Readonly<Record<string, (p: Record<string, unknown>) => readonly unknown[]>> = {
  register: (p) => [p.industry],
  importBatch: (p) => (p.records as { industry?: unknown }[]).map((r) => r.industry),
  fileChange: (p) => [(p.changes as { industry?: unknown }).industry],
  issueCertificate: (p) => [p.industry],
  post: (p) => [p.industry],
};

function checkingIndustry(
  action: ActionDefinition<never>,
  industriesOf: (p: Record<string, unknown>) => readonly unknown[],
): ActionDefinition<never> {
  return {
    params: action.params,
    run(ctx, params) {
      for (const industry of industriesOf(params as Record<string, unknown>)) {
        if (typeof industry !== 'string') continue;
        const why = industryMismatch(industry);
        if (why) throw new ContractError('invalid_params', `industry ${industry}: ${why}`);
      }
      action.run(ctx, params);
    },
  };
}

export const registryContractV2: ContractModule = {
  ...registryContract,
  version: 2,
  actions: Object.fromEntries(
    Object.entries(registryContract.actions).map(([name, action]) => {
      const industriesOf = INDUSTRIES_OF[name];
      return [name, industriesOf ? checkingIndustry(action, industriesOf) : action];
    }),
  ),
};
