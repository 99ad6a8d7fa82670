// Verifying a chain record in the browser: fetch its proof bundle and the validator set of its block from
// the node API, then run the ledger's verifyProofBundle with the browser crypto suite. The server only
// supplies bytes; whether they hold up is decided here. Besides the ledger's checks (chain, inclusion,
// validators, certificate) the record itself is checked to be the one asked for, so a server cannot answer
// with the valid proof of some other record.
import { trustedFromJson } from '@gongxin/client';
import {
  decodeCanonical,
  decodeProofBundle,
  decodeTx,
  fromHex,
  type VerifyFailureCode as LedgerFailureCode,
  type ProofBundle,
  type TrustedValidatorSet,
  toHex,
  type VerificationStep,
  verifyProofBundle,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { createUiChainClient } from '../chain/client';

export interface VerifyRecordOptions {
  kind: 'tx' | 'event';
  /** tx id (hex) for kind 'tx' */
  id?: string;
  /** block height and event index for kind 'event' */
  height?: number;
  index?: number;
  /** Default: the configured chain base (`/chain`). */
  chainBase?: string;
  /** A proof bundle (hex) to check instead of fetching one, e.g. to show a tampered bundle failing. */
  bundle?: string;
  /**
   * The validator set to trust. Without one, the set of the block's height is fetched from the node,
   * which proves the record is in a block that set signed (see docs/api.md, "Trust").
   */
  trusted?: TrustedValidatorSet;
}

/**
 * Why a check failed, stable across wordings, for a page to say in the reader's language (the UI's locale
 * files have `verify.failures.<code>`); `detail` keeps the verifier's English. The ledger's verifier gives
 * its codes with its steps; the record checks here add theirs.
 */
export type VerifyFailureCode = LedgerFailureCode | 'record-not-tx' | 'record-not-event' | 'unknown';

export interface BrowserVerificationStep extends Omit<VerificationStep, 'code'> {
  /** On a failed step: why, as a stable code; its figures are in `params`. */
  code?: VerifyFailureCode;
}

export interface BrowserVerification {
  status: 'verified' | 'failed';
  steps: BrowserVerificationStep[];
  /** The first failed check with its reason (in English), when status is 'failed'. */
  failed?: string;
  /** The failed check's code, when status is 'failed'. */
  failedCode?: VerifyFailureCode;
  height?: number;
  blockHash?: string;
}

/** A step as shown: a failed one always has a code ('unknown' if its verifier gave none). */
function coded(step: VerificationStep | BrowserVerificationStep): BrowserVerificationStep {
  if (step.ok || step.code) return step;
  return { ...step, code: 'unknown' };
}

function failure(
  steps: BrowserVerificationStep[],
  check: string,
  code: VerifyFailureCode,
  detail: string,
  params?: Record<string, string | number>,
): BrowserVerification {
  const failed: BrowserVerificationStep = { check, ok: false, detail, code, ...(params && { params }) };
  return { status: 'failed', failed: `${check}: ${detail}`, failedCode: code, steps: [...steps, failed] };
}

/** Is the bundle's record the one asked for? null when nothing was asked (a bare bundle). */
function recordCheck(
  opts: VerifyRecordOptions,
  bundle: ProofBundle,
  suiteId: TrustedValidatorSet['suite'],
): BrowserVerificationStep | null {
  const { record } = bundle;
  if (opts.kind === 'tx') {
    if (!opts.id) return null;
    const wanted = opts.id.replace(/^0x/, '').toLowerCase();
    let id: string | null = null;
    try {
      id = record.kind === 'tx' ? toHex(decodeTx(getSuite(suiteId), record.bytes).id) : null;
    } catch {
      id = null;
    }
    return id === wanted
      ? { check: 'record', ok: true, detail: `tx ${wanted}`, params: { kind: 'tx', id: wanted } }
      : {
          check: 'record',
          ok: false,
          detail: `the proof is not of tx ${wanted}`,
          code: 'record-not-tx',
          params: { id: wanted },
        };
  }
  if (opts.height === undefined || opts.index === undefined) return null;
  type EventFields = { type?: unknown; index?: unknown; contract?: unknown; name?: unknown };
  let event: EventFields | null = null;
  try {
    event = record.kind === 'event' ? (decodeCanonical(record.bytes) as EventFields) : null;
  } catch {
    event = null;
  }
  const matches =
    event?.type === 'event' && event.index === opts.index && bundle.header.height === opts.height;
  return matches
    ? {
        check: 'record',
        ok: true,
        detail: `event ${opts.index} of block ${opts.height}: ${String(event?.contract)}.${String(event?.name)}`,
        params: {
          kind: 'event',
          index: opts.index,
          height: opts.height,
          name: `${String(event?.contract)}.${String(event?.name)}`,
        },
      }
    : {
        check: 'record',
        ok: false,
        detail: `the proof is not of event ${opts.index} of block ${opts.height}`,
        code: 'record-not-event',
        params: { index: opts.index, height: opts.height },
      };
}

/**
 * Fetch (unless given) and verify a record's proof. Resolves with 'verified' or 'failed' and every step;
 * rejects (ChainError) only when the node cannot be asked, e.g. an unknown tx or no network.
 */
export async function verifyRecordInBrowser(opts: VerifyRecordOptions): Promise<BrowserVerification> {
  const client = createUiChainClient(opts.chainBase);
  let bundleHex = opts.bundle;
  if (bundleHex === undefined) {
    if (opts.kind === 'tx' ? !opts.id : opts.height === undefined || opts.index === undefined)
      throw new TypeError('verify a tx by its id, an event by its height and index');
    const proof =
      opts.kind === 'tx'
        ? await client.proveTx(opts.id!)
        : await client.proveEvent(opts.height!, opts.index!);
    bundleHex = proof.bundle;
  }

  let bytes: Uint8Array;
  let bundle: ProofBundle;
  try {
    bytes = fromHex(bundleHex);
    bundle = decodeProofBundle(bytes);
  } catch (error) {
    return failure([], 'decode', 'decode', (error as Error).message);
  }

  const trusted = opts.trusted ?? trustedFromJson(await client.validatorsAt(bundle.header.height));
  let suite: ReturnType<typeof getSuite>;
  try {
    suite = getSuite(trusted.suite);
  } catch (error) {
    return failure([], 'suite', 'suite', (error as Error).message);
  }

  const steps: BrowserVerificationStep[] = [];
  const record = recordCheck(opts, bundle, suite.id);
  if (record) {
    if (!record.ok)
      return failure(steps, record.check, record.code ?? 'unknown', record.detail ?? '', record.params);
    steps.push(record);
  }
  const verdict = verifyProofBundle(suite, bytes, trusted);
  return verdict.ok
    ? {
        status: 'verified',
        steps: [...steps, ...verdict.steps],
        height: verdict.height,
        blockHash: verdict.blockHash,
      }
    : failedVerdict(verdict.failed, [...steps, ...verdict.steps]);
}

function failedVerdict(
  failed: string,
  all: (VerificationStep | BrowserVerificationStep)[],
): BrowserVerification {
  const steps = all.map(coded);
  const code = steps.find((s) => !s.ok)?.code;
  return { status: 'failed', failed, steps, ...(code && { failedCode: code }) };
}
