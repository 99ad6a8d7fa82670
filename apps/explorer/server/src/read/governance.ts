// The members' view of governance: every proposal with its change, who voted which way (each vote's tx),
// the power it needs, how it ended and, for a change that waits, the height it takes effect. Read from the
// node: the proposal records are governance state, the votes' txs come from governance's events. Nothing
// here decides anything; the contract does.
import type { ChainClient, ChainInfoJson, EventJson } from '@gongxin/client';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type ProposalStatus = 'open' | 'passed' | 'rejected' | 'expired';

export interface ProposalVote {
  operator: string;
  /** The validator names this operator runs in the current set (empty: no longer a member). */
  validators: string[];
  approve: boolean;
  /** Power the vote weighs now (the operator's in the current set). */
  power: number;
  txId: string | null;
  height: number | null;
}

export interface ProposalItem {
  id: string;
  kind: string;
  payload: Json;
  proposer: string;
  createdAt: number;
  deadline: number;
  status: ProposalStatus;
  votes: ProposalVote[];
  yes: number;
  no: number;
  totalPower: number;
  /** Yes power needed to pass: more than two thirds of the total. */
  threshold: number;
  /** When a passed change takes effect: a validator-set change's height, a contract version's height. */
  activationHeight: number | null;
  /** The tx that proposed it and the one that decided it. */
  txId: string;
  decidedTxId: string | null;
  decidedHeight: number | null;
}

/** Smallest integer yes power that is more than two thirds of `total` (the ledger's isQuorum). */
export function quorumThreshold(total: number): number {
  return Math.floor((2 * total) / 3) + 1;
}

const EVENTS_PAGE = 500;
/** A console lists proposals of a chain's life, not millions: a bound so one page never reads forever. */
const MAX_EVENTS = 20_000;

async function governanceEvents(client: ChainClient): Promise<EventJson[]> {
  const events: EventJson[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.events({
      contract: 'governance',
      fromHeight: 0,
      limit: EVENTS_PAGE,
      ...(cursor && { cursor }),
    });
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && events.length < MAX_EVENTS);
  return events;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const attrsOf = (e: EventJson) => (e.attrs ?? {}) as { [key: string]: Json };

export async function proposalList(client: ChainClient, info?: ChainInfoJson): Promise<ProposalItem[]> {
  const [chain, events] = await Promise.all([info ?? client.info(), governanceEvents(client)]);
  const ids: string[] = [];
  const proposedIn = new Map<string, EventJson>();
  const votedIn = new Map<string, EventJson>();
  const decidedIn = new Map<string, EventJson>();
  const activation = new Map<string, number>();
  for (const e of events) {
    const id = text(attrsOf(e).id);
    if (e.name === 'proposed') {
      ids.push(id);
      proposedIn.set(id, e);
    } else if (e.name === 'voted') votedIn.set(`${id}/${text(attrsOf(e).voter)}`, e);
    else if (e.name === 'passed' || e.name === 'rejected' || e.name === 'expired') decidedIn.set(id, e);
    else if (e.name === 'validatorSetChanged' || e.name === 'contractActivated')
      activation.set(id, Number(attrsOf(e).height));
  }
  const validators = chain.validators;
  const total = chain.totalPower;
  const names = (operator: string) => validators.filter((v) => v.operator === operator).map((v) => v.name);
  const powerOf = (operator: string) =>
    validators.filter((v) => v.operator === operator).reduce((sum, v) => sum + v.power, 0);

  const records = await Promise.all(
    ids.map((id) =>
      client
        .state(`governance/proposal/${id}`)
        .then((s) => s.value as { [key: string]: Json } | null)
        .catch(() => null),
    ),
  );
  const items: ProposalItem[] = [];
  ids.forEach((id, i) => {
    const record = records[i];
    const proposed = proposedIn.get(id)!;
    if (!record) return;
    const votes = Object.entries((record.votes ?? {}) as Record<string, boolean>).map(
      ([operator, approve]): ProposalVote => {
        const cast = operator === record.proposer ? proposed : votedIn.get(`${id}/${operator}`);
        return {
          operator,
          validators: names(operator),
          approve,
          power: powerOf(operator),
          txId: cast?.txId ?? null,
          height: cast?.height ?? null,
        };
      },
    );
    // In the order they were cast (the record keeps them by address).
    votes.sort((a, b) => (a.height ?? 0) - (b.height ?? 0));
    const decided = decidedIn.get(id);
    // Decided proposals keep the tally the contract counted; open ones are counted against the current set.
    const yes = decided
      ? Number(attrsOf(decided).yes ?? 0)
      : votes.filter((v) => v.approve).reduce((s, v) => s + v.power, 0);
    const no = decided
      ? Number(attrsOf(decided).no ?? 0)
      : votes.filter((v) => !v.approve).reduce((s, v) => s + v.power, 0);
    const totalPower =
      decided === undefined || attrsOf(decided).total === undefined ? total : Number(attrsOf(decided).total);
    const payload = (record.payload ?? null) as Json;
    const scheduled =
      record.kind === 'activateContract' && payload && typeof payload === 'object' && !Array.isArray(payload)
        ? Number(payload.height)
        : null;
    items.push({
      id,
      kind: text(record.kind),
      payload,
      proposer: text(record.proposer),
      createdAt: Number(record.createdAt),
      deadline: Number(record.deadline),
      status: text(record.status) as ProposalStatus,
      votes,
      yes,
      no,
      totalPower,
      threshold: quorumThreshold(totalPower),
      activationHeight: activation.get(id) ?? scheduled,
      txId: proposed.txId,
      decidedTxId: decided?.txId ?? null,
      decidedHeight: decided?.height ?? null,
    });
  });
  return items.reverse();
}

/** The current members (validator operators) and their validators, for the console's sign-as choice. */
export function membersOf(info: ChainInfoJson) {
  const byOperator = new Map<string, { operator: string; validators: string[]; power: number }>();
  for (const v of info.validators) {
    const m = byOperator.get(v.operator) ?? { operator: v.operator, validators: [], power: 0 };
    m.validators.push(v.name);
    m.power += v.power;
    byOperator.set(v.operator, m);
  }
  return [...byOperator.values()];
}

/** Blocks whose certificates the console reads to say who is signing now. */
export const SIGNING_WINDOW = 10;

export interface ValidatorSigning {
  key: string;
  name: string;
  operator: string;
  power: number;
  /** Of the last `window` blocks, how many this validator's signature is in. */
  signed: number;
  window: number;
  /** The last of those blocks it signed, null if none. */
  lastSignedHeight: number | null;
  /** Proposed the head block. */
  proposedHead: boolean;
}

type Signed = { height: number; proposer: string; signerKeys: readonly string[] };
// A committed block's signers never change: each block is asked for once (per chain), not on every refresh.
const signedCache = new Map<string, Signed>();
const SIGNED_CACHE_SIZE = 256;

async function signedBlock(client: ChainClient, chainId: string, height: number): Promise<Signed | null> {
  const key = `${chainId}/${height}`;
  const cached = signedCache.get(key);
  if (cached) return cached;
  const block = await client.getBlock(height).catch(() => null);
  if (!block) return null;
  const signed = { height, proposer: block.proposer, signerKeys: block.certificate.signerKeys ?? [] };
  signedCache.set(key, signed);
  if (signedCache.size > SIGNED_CACHE_SIZE) signedCache.delete(signedCache.keys().next().value!);
  return signed;
}

/** The current validators and which of the last blocks each one signed (from the blocks' certificates). */
export async function validatorSigning(client: ChainClient, info: ChainInfoJson) {
  const head = info.head.height;
  const heights: number[] = [];
  for (let h = head; h >= 1 && heights.length < SIGNING_WINDOW; h--) heights.push(h);
  const blocks = await Promise.all(heights.map((h) => signedBlock(client, info.chainId, h)));
  const validators: ValidatorSigning[] = info.validators.map((v) => {
    let signed = 0;
    let lastSignedHeight: number | null = null;
    for (const b of blocks) {
      if (!b?.signerKeys.includes(v.key)) continue;
      signed++;
      lastSignedHeight = Math.max(lastSignedHeight ?? 0, b.height);
    }
    return {
      key: v.key,
      name: v.name,
      operator: v.operator,
      power: v.power,
      signed,
      window: blocks.filter(Boolean).length,
      lastSignedHeight,
      proposedHead: blocks[0]?.proposer === v.key,
    };
  });
  return { height: head, totalPower: info.totalPower, validators };
}
