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
 * files have `verify.failures.<code>`); `detail` keeps the verifier's English.
 */
export type VerifyFailureCode =
  | 'decode'
  | 'suite'
  | 'record-kind'
  | 'record-not-tx'
  | 'record-not-event'
  | 'chain'
  | 'inclusion-size'
  | 'inclusion-path'
  | 'validators-set'
  | 'certificate-height'
  | 'certificate-block'
  | 'certificate-round'
  | 'certificate-outsider'
  | 'certificate-duplicate'
  | 'certificate-signature'
  | 'certificate-power'
  | 'input'
  | 'unknown';

export interface BrowserVerificationStep extends VerificationStep {
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

type Classified = { code: VerifyFailureCode; params?: Record<string, string | number> };

/**
 * The ledger's verifier says why a check failed in English (see chain/ledger/src/proof.ts and block.ts's
 * verifyCertificate); this names each of its reasons with a code and picks out the figures.
 */
export function failureCode(check: string, detail = ''): Classified {
  const match = (pattern: RegExp) => detail.match(pattern);
  const numbers = (m: RegExpMatchArray, ...names: string[]) =>
    Object.fromEntries(names.map((name, i) => [name, Number(m[i + 1])]));
  switch (check) {
    case 'decode':
    case 'suite':
    case 'input':
      return { code: check };
    case 'chain': {
      const m = match(/chain (\S+), not (\S+)$/);
      return { code: 'chain', ...(m && { params: { got: m[1]!, want: m[2]! } }) };
    }
    case 'record': {
      const tx = match(/not of tx ([0-9a-f]+)/);
      if (tx) return { code: 'record-not-tx', params: { id: tx[1]! } };
      const event = match(/not of event (\d+) of block (\d+)/);
      if (event) return { code: 'record-not-event', params: numbers(event, 'index', 'height') };
      return { code: 'record-kind' };
    }
    case 'inclusion': {
      const size = match(/tree of (\d+), the block has (\d+)/);
      return size
        ? { code: 'inclusion-size', params: numbers(size, 'size', 'count') }
        : { code: 'inclusion-path' };
    }
    case 'validators':
      return { code: 'validators-set' };
    case 'certificate': {
      const height = match(/for height (\d+), not (\d+)/);
      if (height) return { code: 'certificate-height', params: numbers(height, 'got', 'want') };
      if (/another block/.test(detail)) return { code: 'certificate-block' };
      if (/round/.test(detail)) return { code: 'certificate-round' };
      if (/outside the validator set/.test(detail)) return { code: 'certificate-outsider' };
      if (/twice/.test(detail)) return { code: 'certificate-duplicate' };
      const signer = match(/signature by validator (.+)$/);
      if (signer) return { code: 'certificate-signature', params: { name: signer[1]! } };
      const power = match(/hold (\d+) of (\d+) voting power/);
      if (power) return { code: 'certificate-power', params: numbers(power, 'power', 'total') };
      return { code: 'unknown' };
    }
    default:
      return { code: 'unknown' };
  }
}

/** A failed step with its code and figures. */
function coded(step: VerificationStep): BrowserVerificationStep {
  if (step.ok) return step;
  const { code, params } = failureCode(step.check, step.detail);
  return { ...step, code, ...(params && { params: { ...params, ...step.params } }) };
}

function failure(steps: VerificationStep[], check: string, detail: string): BrowserVerification {
  const failed = coded({ check, ok: false, detail });
  return {
    status: 'failed',
    failed: `${check}: ${detail}`,
    failedCode: failed.code,
    steps: [...steps, failed],
  };
}

/** Is the bundle's record the one asked for? null when nothing was asked (a bare bundle). */
function recordCheck(
  opts: VerifyRecordOptions,
  bundle: ProofBundle,
  suiteId: TrustedValidatorSet['suite'],
): VerificationStep | null {
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
      : { check: 'record', ok: false, detail: `the proof is not of tx ${wanted}` };
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
    return failure([], 'decode', (error as Error).message);
  }

  const trusted = opts.trusted ?? trustedFromJson(await client.validatorsAt(bundle.header.height));
  let suite: ReturnType<typeof getSuite>;
  try {
    suite = getSuite(trusted.suite);
  } catch (error) {
    return failure([], 'suite', (error as Error).message);
  }

  const steps: VerificationStep[] = [];
  const record = recordCheck(opts, bundle, suite.id);
  if (record) {
    if (!record.ok) return failure(steps, record.check, record.detail ?? '');
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

function failedVerdict(failed: string, all: VerificationStep[]): BrowserVerification {
  const steps = all.map(coded);
  const code = steps.find((s) => !s.ok)?.code;
  return { status: 'failed', failed, steps, ...(code && { failedCode: code }) };
}
