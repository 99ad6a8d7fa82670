// Read-only views of governance state: who is an authority for what, the chain's parameters, and
// proposals. Other contracts and apps decide permissions from these; views never write.
import type { Address, StateReader, Value, ValueMap } from '@gongxin/ledger';

export const governanceKeys = {
  authority: (address: Address) => `governance/authority/${address}`,
  params: 'governance/params',
  proposal: (id: string) => `governance/proposal/${id}`,
} as const;

export type Authority = {
  readonly name: string;
  readonly scopes: readonly string[];
  /** Height from which the account is an authority (0 for genesis). */
  readonly since: number;
};

/** The ledger's Validator, as a record that can be stored. */
export type ValidatorRecord = {
  readonly key: Uint8Array;
  readonly power: number;
  readonly name: string;
  readonly operator: Address;
};

export type ValidatorChange =
  | { readonly kind: 'addValidator'; readonly payload: ValidatorRecord }
  | { readonly kind: 'removeValidator'; readonly payload: { readonly key: Uint8Array } }
  | { readonly kind: 'setPower'; readonly payload: { readonly key: Uint8Array; readonly power: number } };

export type ProposalChange =
  | ValidatorChange
  | {
      readonly kind: 'grantAuthority';
      readonly payload: {
        readonly address: Address;
        readonly name: string;
        readonly scopes: readonly string[];
      };
    }
  | { readonly kind: 'revokeAuthority'; readonly payload: { readonly address: Address } }
  | {
      readonly kind: 'activateContract';
      readonly payload: { readonly contract: string; readonly version: number; readonly height: number };
    }
  | { readonly kind: 'setParam'; readonly payload: { readonly name: string; readonly value: ParamValue } }
  | {
      readonly kind: 'setCalendar';
      readonly payload: {
        readonly year: number;
        readonly holidays: readonly string[];
        readonly workdays: readonly string[];
      };
    };

/** Parameters are scalars; null in a setParam proposal removes one. */
export type ParamValue = string | number | bigint | boolean | null;

export type ProposalStatus = 'open' | 'passed' | 'rejected' | 'expired';

export type Proposal = ProposalChange & {
  readonly id: string;
  readonly proposer: Address;
  readonly createdAt: number;
  /** Last height at which votes are taken. */
  readonly deadline: number;
  /** Operator address → approve. Each vote weighs the power its operator holds in the current set. */
  readonly votes: { readonly [operator: string]: boolean };
  readonly status: ProposalStatus;
};

export function authorityOf(state: StateReader, address: Address): Authority | undefined {
  return state.get(governanceKeys.authority(address)) as Authority | undefined;
}

export function hasScope(state: StateReader, address: Address, scope: string): boolean {
  return authorityOf(state, address)?.scopes.includes(scope) ?? false;
}

export function params(state: StateReader): ValueMap {
  return (state.get(governanceKeys.params) as ValueMap | undefined) ?? {};
}

export function param(state: StateReader, name: string): Value | undefined {
  const all = params(state);
  return Object.hasOwn(all, name) ? all[name] : undefined;
}

export function proposal(state: StateReader, id: string): Proposal | undefined {
  return state.get(governanceKeys.proposal(id)) as Proposal | undefined;
}
