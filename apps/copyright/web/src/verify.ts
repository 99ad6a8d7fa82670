// The public verify page's checks, all in this browser: the registration tx's proof (Merkle inclusion
// under a block signed by more than two thirds of the validators), and — read from the proven tx itself,
// not from the server's summary — each file's SHA-256 and content code, recomputed from the file's bytes.
import { trustedFromJson } from '@gongxin/client';
import { code64, decodeUnit, hammingDistance64, MainType } from '@gongxin/iscc';
import { decodeProofBundle, decodeTx, fromHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { type BrowserVerification, createUiChainClient, verifyRecordInBrowser } from '@gongxin/ui';
import { browserCodes, sha256Hex } from './codes';

/** The strong-match threshold the server uses (SIMILAR_BITS): within it, the same content. */
export const SAME_CONTENT_BITS = 12;

export interface RecordedFile {
  hash: string;
  codes: string[];
  tool: string;
  mediaType?: string;
}

export interface ProvenRegistration {
  proof: BrowserVerification;
  /** The registerWork params as the proven tx carries them. */
  title: string;
  files: RecordedFile[];
}

/** Fetch the registration tx's proof, verify it, and read the work's files from the proven tx. */
export async function proveRegistration(workId: string): Promise<ProvenRegistration> {
  const [txId, n] = workId.split(':');
  const client = createUiChainClient();
  const { bundle } = await client.proveTx(txId!);
  const decoded = decodeProofBundle(fromHex(bundle));
  const trusted = trustedFromJson(await client.validatorsAt(decoded.header.height));
  const proof = await verifyRecordInBrowser({ kind: 'tx', id: txId!, bundle, trusted });
  if (decoded.record.kind !== 'tx') throw new Error('the proof is not of a transaction');
  const tx = decodeTx(getSuite(trusted.suite), decoded.record.bytes);
  const registrations = tx.body.actions.filter(
    (a) => a.contract === 'copyright' && a.name === 'registerWork',
  );
  const action = registrations[n === undefined ? 0 : Number(n)] ?? registrations[0];
  if (!action) throw new Error(`tx ${txId} registers no work`);
  const params = action.params as unknown as { title: string; files: RecordedFile[] };
  return { proof, title: params.title, files: params.files };
}

/** The recorded content unit (Text- or Image-Code) among a file's codes. */
export function contentCodeOf(codes: readonly string[]): string | undefined {
  return codes.find((c) => {
    try {
      const unit = decodeUnit(c);
      return unit.mainType === MainType.CONTENT && (unit.subType === 0 || unit.subType === 1);
    } catch {
      return false;
    }
  });
}

export interface FileCheck {
  hash: string;
  hashOk: boolean;
  actualHash: string;
  /** null when the file has no content code (neither text nor image). */
  content: { recorded: string; computed: string; distance: number; ok: boolean } | null;
}

/** Recompute a file's SHA-256 and content code here and compare them with what the chain recorded. */
export async function checkFile(
  recorded: RecordedFile,
  bytes: Uint8Array,
  mediaType: string,
): Promise<FileCheck> {
  const actualHash = await sha256Hex(bytes);
  const recordedContent = contentCodeOf(recorded.codes);
  let content: FileCheck['content'] = null;
  if (recordedContent) {
    const codes = await browserCodes(bytes, mediaType);
    const computed = codes.content?.iscc ?? '';
    const distance = computed ? hammingDistance64(code64(recordedContent), code64(computed)) : 64;
    content = { recorded: recordedContent, computed, distance, ok: distance <= SAME_CONTENT_BITS };
  }
  return { hash: recorded.hash, hashOk: actualHash === recorded.hash, actualHash, content };
}
