// The consumer page's "verified on chain" check, run in the phone's browser: for each event of the journey,
// fetch the proof bundle of its `food.anchored` chain event and the validator set of that block from the
// node API, and check with the ledger (browser crypto) that (1) the proven chain event anchors exactly
// this event's hash, (2) it is included in the block (Merkle proof), and (3) the block was signed by more
// than two thirds of the validators' power. Before that, the event itself is fetched from the EPCIS query
// interface and its EPCIS Event Hash ID recomputed here, with the same module the server hashes with: the
// chain's anchor is only worth something if it anchors this very record. The server only supplies bytes;
// the verdict is made here. The chain is asked through @gongxin/client, which batches the proofs of a
// journey into few requests.
import { type ChainClient, trustedFromJson } from '@gongxin/client';
import { eventHashId } from '@gongxin/food-server/event-hash';
import {
  decodeCanonical,
  decodeProofBundle,
  fromHex,
  type TrustedValidatorSet,
  verifyProofBundle,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';

export interface AnchorProof {
  /** The event's hash (hex) as the page lists it. */
  hash: string;
  height: number;
  index: number;
  txId: string;
}

export interface AnchorVerdict {
  proof: AnchorProof;
  ok: boolean;
  /** Checks passed, in order (hash, record, chain, inclusion, validators, certificate). */
  checks: string[];
  failed?: string;
}

export type Fetch = (url: string) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/**
 * Fetches the event from the EPCIS query interface (`GET …/events/{hash}`, the event with its @context)
 * and recomputes its EPCIS Event Hash ID in this browser: whether it is the hash the page lists.
 */
export async function recomputedHashMatches(
  proof: AnchorProof,
  eventsBase: string,
  fetchJson: Fetch,
): Promise<boolean> {
  const res = await fetchJson(`${eventsBase}${proof.hash}`);
  if (!res.ok) return false;
  const event = (await res.json()) as Record<string, unknown>;
  return eventHashId(event).digest === proof.hash.toLowerCase();
}

export async function verifyAnchor(
  proof: AnchorProof,
  chain: Pick<ChainClient, 'proveEvent' | 'validatorsAt'>,
  fetchJson: Fetch,
  sets: Map<number, Promise<TrustedValidatorSet>>,
  eventsBase?: string,
): Promise<AnchorVerdict> {
  const fail = (checks: string[], failed: string): AnchorVerdict => ({ proof, ok: false, checks, failed });
  try {
    const before: string[] = [];
    if (eventsBase !== undefined) {
      if (!(await recomputedHashMatches(proof, eventsBase, fetchJson)))
        return fail([], 'hash: the record’s recomputed hash is not the one listed');
      before.push('hash');
    }
    let hex: string;
    try {
      hex = (await chain.proveEvent(proof.height, proof.index)).bundle;
    } catch (error) {
      return fail([], `proof: ${(error as Error).message}`);
    }
    const bytes = fromHex(hex);
    const bundle = decodeProofBundle(bytes);
    const record =
      bundle.record.kind === 'event'
        ? (decodeCanonical(bundle.record.bytes) as {
            contract?: unknown;
            name?: unknown;
            attrs?: { hash?: unknown };
          })
        : undefined;
    if (record?.contract !== 'food' || record.name !== 'anchored')
      return fail(before, 'record: the proof is not of a food.anchored event');
    if (String(record.attrs?.hash).toLowerCase() !== proof.hash.toLowerCase())
      return fail(before, 'record: the chain anchors another hash than this event’s');
    let trusted = sets.get(bundle.header.height);
    if (!trusted) {
      trusted = chain.validatorsAt(bundle.header.height).then(trustedFromJson, (error: Error) => {
        throw new Error(`validators: ${error.message}`);
      });
      sets.set(bundle.header.height, trusted);
    }
    const set = await trusted;
    const verdict = verifyProofBundle(getSuite(set.suite), bytes, set);
    const checks = [...before, 'record', ...verdict.steps.filter((s) => s.ok).map((s) => s.check)];
    return verdict.ok ? { proof, ok: true, checks } : fail(checks, verdict.failed ?? 'proof did not verify');
  } catch (error) {
    return fail([], (error as Error).message);
  }
}
