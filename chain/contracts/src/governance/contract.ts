// Governance: the validators vote on changes to the chain itself (the validator set, the authorities
// other contracts trust, parameters and contract versions), and a change takes effect in the tx that
// gives it more than two thirds of the voting power. It must never change anything without such a
// vote (genesis aside), and never leave the chain without validators.
import {
  ACTIVATIONS_KEY,
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
  equalBytes,
  isQuorum,
  PENDING_VALIDATORS_KEY,
  toHex,
  totalPower,
  type Value,
  type ValueMap,
  validatorsOf,
  validatorsToValue,
} from '@gongxin/ledger';
import { z } from 'zod';
import {
  CALENDAR_MAX_YEAR,
  CALENDAR_MIN_YEAR,
  calendarKeys,
  MAX_CALENDAR_DAYS,
  normaliseSchedule,
  scheduleProblem,
  type YearSchedule,
} from '../calendar/calendar';
import { actionId, parseGenesis, zAddress, zBytes, zName, zSlug } from '../common';
import { governanceEvents } from './events';
import {
  type Authority,
  authorityOf,
  governanceKeys,
  type Proposal,
  type ProposalChange,
  params,
  proposal as proposalOf,
  type ValidatorChange,
  type ValidatorRecord,
} from './views';

export const MAX_VALIDATORS = 100;
/** Small enough that 3 × the total power of MAX_VALIDATORS stays an exact integer. */
export const MAX_VALIDATOR_POWER = 1_000_000_000;
export const DEFAULT_DEADLINE_BLOCKS = 1_000;
export const MAX_DEADLINE_BLOCKS = 100_000;
/** A validator-set change is signed by the new set from this many blocks after the tx that passed it. */
export const VALIDATOR_CHANGE_DELAY = 2;

const zPower = z.number().int().min(1, 'power must be positive').max(MAX_VALIDATOR_POWER);
const zScopes = z
  .array(zSlug)
  .min(1, 'an authority needs at least one scope')
  .max(16)
  .refine((s) => new Set(s).size === s.length, 'scopes must not repeat');
const zParamName = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_.-]{0,63}$/, 'parameter names are 1–64 characters starting with a-z');
const zParamScalar = z.union([z.string().max(256), z.number().int(), z.bigint(), z.boolean()]);
const zParamValue = zParamScalar.nullable();
const zContractName = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'not a contract name');
const zMonthDays = z
  .array(z.string().regex(/^\d{2}-\d{2}$/, 'a day is written MM-DD'))
  .max(MAX_CALENDAR_DAYS);
/** One year of the working-day calendar; soundness (real days, make-up days on weekends) is checked after. */
const zYearSchedule = z
  .object({
    year: z.number().int().min(CALENDAR_MIN_YEAR).max(CALENDAR_MAX_YEAR),
    holidays: zMonthDays,
    workdays: zMonthDays,
  })
  .strict();

function option<K extends ProposalChange['kind'], P extends z.ZodType>(kind: K, payload: P) {
  return z
    .object({
      kind: z.literal(kind),
      payload,
      deadlineBlocks: z.number().int().min(1).max(MAX_DEADLINE_BLOCKS).optional(),
    })
    .strict();
}

const zProposal = z.discriminatedUnion('kind', [
  option('addValidator', z.object({ key: zBytes, power: zPower, name: zName, operator: zAddress }).strict()),
  option('removeValidator', z.object({ key: zBytes }).strict()),
  option('setPower', z.object({ key: zBytes, power: zPower }).strict()),
  option('grantAuthority', z.object({ address: zAddress, name: zName, scopes: zScopes }).strict()),
  option('revokeAuthority', z.object({ address: zAddress }).strict()),
  option(
    'activateContract',
    z
      .object({
        contract: zContractName,
        version: z.number().int().min(2).max(1_000_000),
        height: z.number().int().min(1),
      })
      .strict(),
  ),
  option('setParam', z.object({ name: zParamName, value: zParamValue }).strict()),
  option('setCalendar', zYearSchedule),
]);

// ------------------------------------------------------------------------------------------ validators

type PendingValidators = { readonly height: number; readonly validators: readonly ValidatorRecord[] };

/** The set later changes build on: the one already waiting to take over, else the current one. */
function latestValidatorSet(ctx: ContractContext): ValidatorRecord[] {
  const pending = ctx.get(PENDING_VALIDATORS_KEY) as PendingValidators | undefined;
  return (pending?.validators ?? validatorsOf(ctx)).slice();
}

/** The validator set after a change, or the reason it cannot be made. */
function validatorSetAfter(ctx: ContractContext, change: ValidatorChange): ValidatorRecord[] {
  const { key } = change.payload;
  if (key.length !== ctx.suite.publicKeyLength) {
    throw new ContractError(
      'invalid_params',
      `a validator key of suite ${ctx.suite.id} is ${ctx.suite.publicKeyLength} bytes, got ${key.length}`,
    );
  }
  const set = latestValidatorSet(ctx);
  const index = set.findIndex((v) => equalBytes(v.key, key));
  switch (change.kind) {
    case 'addValidator':
      if (index >= 0) throw new ContractError('already_exists', `key ${toHex(key)} is already a validator`);
      if (set.length >= MAX_VALIDATORS)
        throw new ContractError('limit_exceeded', `the chain has at most ${MAX_VALIDATORS} validators`);
      return [...set, change.payload];
    case 'removeValidator':
      if (index < 0) throw new ContractError('not_found', `key ${toHex(key)} is not a validator`);
      if (set.length === 1)
        throw new ContractError('not_allowed', 'the last validator cannot be removed: the chain would stop');
      return set.filter((_, i) => i !== index);
    case 'setPower':
      if (index < 0) throw new ContractError('not_found', `key ${toHex(key)} is not a validator`);
      return set.map((v, i) => (i === index ? { ...v, power: change.payload.power } : v));
  }
}

// ------------------------------------------------------------------------------------------ changes

function activationsOf(ctx: ContractContext): Record<string, { version: number; height: number }[]> {
  return (
    (ctx.get(ACTIVATIONS_KEY) as Record<string, { version: number; height: number }[]> | undefined) ?? {}
  );
}

/**
 * Refuses a change that cannot be made now. Run when proposing (so voters see only feasible changes)
 * and again when executing, since other changes may have passed in between.
 */
function checkChange(ctx: ContractContext, change: ProposalChange): void {
  switch (change.kind) {
    case 'addValidator':
    case 'removeValidator':
    case 'setPower':
      validatorSetAfter(ctx, change);
      return;
    case 'revokeAuthority':
      if (!authorityOf(ctx, change.payload.address)) {
        throw new ContractError('not_found', `${change.payload.address} is not an authority`);
      }
      return;
    case 'activateContract': {
      const { contract, version, height } = change.payload;
      if (height <= ctx.height) {
        throw new ContractError(
          'expired',
          `activation height ${height} is not after the current height ${ctx.height}`,
        );
      }
      const highest = Math.max(1, ...(activationsOf(ctx)[contract] ?? []).map((a) => a.version));
      if (version <= highest) {
        throw new ContractError(
          'not_allowed',
          `${contract} v${highest} is already activated; only a higher version can follow`,
        );
      }
      return;
    }
    case 'setCalendar': {
      const problem = scheduleProblem(change.payload);
      if (problem) throw new ContractError('invalid_params', problem);
      return;
    }
    case 'grantAuthority':
    case 'setParam':
      return;
  }
}

function writeSchedule(ctx: ContractContext, schedule: YearSchedule): YearSchedule {
  const normal = normaliseSchedule(schedule);
  ctx.set(calendarKeys.year(normal.year), {
    year: normal.year,
    holidays: [...normal.holidays],
    workdays: [...normal.workdays],
  });
  return normal;
}

function executeChange(ctx: ContractContext, id: string, change: ProposalChange): void {
  checkChange(ctx, change);
  switch (change.kind) {
    case 'addValidator':
    case 'removeValidator':
    case 'setPower': {
      // The stored form of the set: sorted records of exactly the ValidatorRecord fields.
      const validators = validatorsToValue(validatorSetAfter(ctx, change)) as readonly ValidatorRecord[];
      const height = ctx.height + VALIDATOR_CHANGE_DELAY;
      ctx.set(PENDING_VALIDATORS_KEY, { height, validators });
      governanceEvents.emit(ctx, 'validatorSetChanged', { id, change: change.kind, height, validators });
      return;
    }
    case 'grantAuthority': {
      const { address, name, scopes } = change.payload;
      const authority: Authority = { name, scopes, since: authorityOf(ctx, address)?.since ?? ctx.height };
      ctx.set(governanceKeys.authority(address), authority);
      governanceEvents.emit(ctx, 'authorityGranted', { id, address, name, scopes });
      return;
    }
    case 'revokeAuthority':
      ctx.delete(governanceKeys.authority(change.payload.address));
      governanceEvents.emit(ctx, 'authorityRevoked', { id, address: change.payload.address });
      return;
    case 'activateContract': {
      const { contract, version, height } = change.payload;
      const activations = activationsOf(ctx);
      ctx.set(ACTIVATIONS_KEY, {
        ...activations,
        [contract]: [...(activations[contract] ?? []), { version, height }],
      });
      governanceEvents.emit(ctx, 'contractActivated', { id, contract, version, height });
      return;
    }
    case 'setParam': {
      const { name, value } = change.payload;
      const next: Record<string, Value> = { ...params(ctx) };
      if (value === null) delete next[name];
      else next[name] = value;
      ctx.set(governanceKeys.params, next);
      governanceEvents.emit(ctx, 'paramChanged', { id, name, value });
      return;
    }
    case 'setCalendar': {
      // Replaces the year's schedule as a whole; deadlines already recorded by other contracts stand.
      const { year, holidays, workdays } = writeSchedule(ctx, change.payload);
      governanceEvents.emit(ctx, 'calendarSet', {
        id,
        year,
        holidays: [...holidays],
        workdays: [...workdays],
      });
      return;
    }
  }
}

// ------------------------------------------------------------------------------------------ voting

/** The operator's power: the sum over the current validators it operates (an operator may run several). */
function operatorPower(ctx: ContractContext, operator: string): number {
  let power = 0;
  for (const v of validatorsOf(ctx)) if (v.operator === operator) power += v.power;
  return power;
}

function requireOperator(ctx: ContractContext, what: string): void {
  if (operatorPower(ctx, ctx.sender) === 0) {
    throw new ContractError(
      'not_authorized',
      `only the operator of a current validator may ${what}; ${ctx.sender} is none`,
    );
  }
}

/** Tallies the votes against the current set, so votes of operators that left no longer count. */
function tally(ctx: ContractContext, votes: Proposal['votes']): { yes: number; no: number; total: number } {
  const validators = validatorsOf(ctx);
  let yes = 0;
  let no = 0;
  for (const v of validators) {
    if (!Object.hasOwn(votes, v.operator)) continue;
    if (votes[v.operator]) yes += v.power;
    else no += v.power;
  }
  return { yes, no, total: totalPower(validators) };
}

/** Counts the votes and, when they decide the proposal, closes it (executing it if it passed). */
function decide(ctx: ContractContext, proposal: Proposal): void {
  const { yes, no, total } = tally(ctx, proposal.votes);
  let status: Proposal['status'] = 'open';
  if (isQuorum(yes, total)) status = 'passed';
  // No more than two thirds can say yes any more.
  else if (no * 3 >= total) status = 'rejected';
  ctx.set(governanceKeys.proposal(proposal.id), { ...proposal, status });
  if (status === 'open') return;
  governanceEvents.emit(ctx, status, { id: proposal.id, kind: proposal.kind, yes, no, total });
  if (status === 'passed') executeChange(ctx, proposal.id, proposal);
}

function expire(ctx: ContractContext, proposal: Proposal): void {
  ctx.set(governanceKeys.proposal(proposal.id), { ...proposal, status: 'expired' });
  governanceEvents.emit(ctx, 'expired', {
    id: proposal.id,
    kind: proposal.kind,
    deadline: proposal.deadline,
  });
}

function openProposal(ctx: ContractContext, id: string): Proposal {
  const found = proposalOf(ctx, id);
  if (!found) throw new ContractError('not_found', `no proposal ${id}`);
  if (found.status !== 'open')
    throw new ContractError('not_allowed', `proposal ${id} is already ${found.status}`);
  return found;
}

// ------------------------------------------------------------------------------------------ module

const zGenesis = z
  .object({
    authorities: z.array(z.object({ address: zAddress, name: zName, scopes: zScopes }).strict()).optional(),
    params: z.record(zParamName, zParamScalar).optional(),
    /** Working-day calendars (public holidays and make-up days) per year. */
    calendars: z.array(zYearSchedule).optional(),
    /**
     * Contract versions a new chain runs from its start (height 0) instead of v1; later changes go
     * through an `activateContract` proposal.
     */
    activations: z
      .array(z.object({ contract: zContractName, version: z.number().int().min(2).max(1_000_000) }).strict())
      .optional(),
  })
  .strict();

export const governanceContract: ContractModule = {
  name: 'governance',
  version: 1,
  actions: {
    propose: defineAction(zProposal, (ctx, { deadlineBlocks, ...change }) => {
      requireOperator(ctx, 'propose');
      checkChange(ctx, change as ProposalChange);
      const id = actionId(ctx);
      const proposal = {
        id,
        ...change,
        proposer: ctx.sender,
        createdAt: ctx.height,
        deadline: ctx.height + (deadlineBlocks ?? DEFAULT_DEADLINE_BLOCKS),
        votes: { [ctx.sender]: true },
        status: 'open',
      } as Proposal;
      governanceEvents.emit(ctx, 'proposed', {
        id,
        kind: change.kind,
        proposer: ctx.sender,
        deadline: proposal.deadline,
      });
      decide(ctx, proposal);
    }),

    vote: defineAction(
      z.object({ id: z.string().min(1).max(80), approve: z.boolean() }).strict(),
      (ctx, { id, approve }) => {
        requireOperator(ctx, 'vote');
        const proposal = openProposal(ctx, id);
        // A late vote cannot count, but it does close the proposal for everyone (so the tx succeeds and
        // its events say 'expired' instead of 'voted').
        if (ctx.height > proposal.deadline) return expire(ctx, proposal);
        if (Object.hasOwn(proposal.votes, ctx.sender)) {
          throw new ContractError('already_exists', `${ctx.sender} already voted on proposal ${id}`);
        }
        const voted = { ...proposal, votes: { ...proposal.votes, [ctx.sender]: approve } };
        governanceEvents.emit(ctx, 'voted', {
          id,
          voter: ctx.sender,
          approve,
          power: operatorPower(ctx, ctx.sender),
        });
        decide(ctx, voted);
      },
    ),

    expire: defineAction(z.object({ id: z.string().min(1).max(80) }).strict(), (ctx, { id }) => {
      const proposal = openProposal(ctx, id);
      if (ctx.height <= proposal.deadline) {
        throw new ContractError(
          'not_allowed',
          `proposal ${id} is open for votes until height ${proposal.deadline}`,
        );
      }
      expire(ctx, proposal);
    }),
  },

  genesis(ctx, section) {
    const config = parseGenesis('governance', zGenesis, section);
    for (const { address, name, scopes } of config.authorities ?? []) {
      ctx.set(governanceKeys.authority(address), { name, scopes, since: 0 } satisfies Authority);
    }
    if (config.params) ctx.set(governanceKeys.params, config.params as ValueMap);
    for (const schedule of config.calendars ?? []) {
      const problem = scheduleProblem(schedule);
      if (problem) throw new ContractError('invalid_params', `governance genesis calendar: ${problem}`);
      writeSchedule(ctx, schedule);
    }
    const activations: Record<string, { version: number; height: number }[]> = {};
    for (const { contract, version } of config.activations ?? []) {
      const earlier = activations[contract]?.[0]?.version;
      if (earlier !== undefined && earlier !== version)
        throw new ContractError(
          'invalid_params',
          `governance genesis activates ${contract} v${earlier} and v${version}; name one version`,
        );
      activations[contract] = [{ version, height: 0 }];
    }
    if (Object.keys(activations).length > 0) ctx.set(ACTIVATIONS_KEY, activations);
  },
};
