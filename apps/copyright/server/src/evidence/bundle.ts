// An evidence bundle: the files of one capture, each named with its SHA-256, under one Merkle root that is
// anchored on chain. The tree is the ledger's (RFC 6962: leaves prefixed 0x00, nodes 0x01), so a file's
// inclusion path verifies exactly as the chain's own proofs do. A leaf binds a file's name to its digest,
// so renaming a file breaks the root as surely as changing a byte of it.
//
// Pure and isomorphic: no Node built-ins, so the browser's verify page and the CLI share it.
import {
  concatBytes,
  equalBytes,
  fromHex,
  type InclusionProof,
  inclusionProof,
  leafHash,
  merkleRootOfLeafHashes,
  rootFromInclusionProof,
  toHex,
  utf8,
} from '@gongxin/ledger';
import { sha256 } from '@gongxin/ledger/crypto';

export const BUNDLE_KIND = 'gongxin/evidence-bundle';
export const BUNDLE_VERSION = 1;

export interface BundleFile {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface ManifestEntry {
  name: string;
  mediaType: string;
  size: number;
  /** Lowercase hex of the file's SHA-256. */
  sha256: string;
  /** The file's audit path to `root` (hex siblings, leaf to root). */
  proof: { index: number; size: number; path: string[] };
}

export interface BundleManifest {
  kind: typeof BUNDLE_KIND;
  version: typeof BUNDLE_VERSION;
  /** Hash of files, leaves and nodes. */
  hash: 'sha256';
  /** What was captured: copied from capture.json for people; capture.json itself is what the root covers. */
  url: string;
  capturedAt: string;
  /** In name order. */
  files: ManifestEntry[];
  /** Lowercase hex of the Merkle root over the files' leaves: what is anchored. */
  root: string;
}

const sha = (data: Uint8Array) => sha256(data);

/** Names are plain file names: no directories, nothing a file system would read differently. */
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The leaf of a file: its name, a zero byte, its SHA-256. */
export function fileLeaf(name: string, digest: Uint8Array): Uint8Array {
  return concatBytes(utf8(name), new Uint8Array([0]), digest);
}

export function sha256Hex(bytes: Uint8Array): string {
  return toHex(sha(bytes));
}

/** Hashes the files into a manifest (files sorted by name; names unique). */
export function buildManifest(
  files: readonly BundleFile[],
  about: { url: string; capturedAt: string },
): BundleManifest {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const name = sorted[i]!.name;
    if (!NAME.test(name)) throw new Error(`bundle file name ${JSON.stringify(name)} is not a plain name`);
    if (i > 0 && sorted[i - 1]!.name === name) throw new Error(`bundle file ${name} appears twice`);
  }
  if (sorted.length === 0) throw new Error('a bundle has at least one file');
  const digests = sorted.map((f) => sha(f.bytes));
  const leaves = sorted.map((f, i) => leafHash(sha, fileLeaf(f.name, digests[i]!)));
  const root = merkleRootOfLeafHashes(sha, leaves);
  return {
    kind: BUNDLE_KIND,
    version: BUNDLE_VERSION,
    hash: 'sha256',
    url: about.url,
    capturedAt: about.capturedAt,
    files: sorted.map((f, i) => {
      const p = inclusionProof(sha, leaves, i);
      return {
        name: f.name,
        mediaType: f.mediaType,
        size: f.bytes.length,
        sha256: toHex(digests[i]!),
        proof: { index: p.index, size: p.size, path: p.path.map(toHex) },
      };
    }),
    root: toHex(root),
  };
}

export interface FileCheck {
  name: string;
  ok: boolean;
  /** What is wrong with the file, in words. */
  problem?: 'missing' | 'changed' | 'size' | 'proof';
  detail?: string;
}

export interface BundleCheck {
  ok: boolean;
  /** The manifest's own consistency: its entries give its root. */
  rootOk: boolean;
  files: FileCheck[];
  /** Files present but not in the manifest (not evidence, and not covered by the anchor). */
  extra: string[];
}

const isHex32 = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);

/**
 * Checks the files against the manifest, and the manifest's entries against its root (each entry's own
 * audit path and the whole tree). A changed file is named with its expected and actual digest.
 */
export function checkBundle(manifest: BundleManifest, files: ReadonlyMap<string, Uint8Array>): BundleCheck {
  const entries = Array.isArray(manifest?.files) ? manifest.files : [];
  const checks: FileCheck[] = [];
  let rootOk = isHex32(manifest?.root) && entries.length > 0;
  const root = rootOk ? fromHex(manifest.root) : new Uint8Array(32);
  const leaves: Uint8Array[] = [];
  for (const entry of entries) {
    const name = String(entry?.name);
    if (!isHex32(entry?.sha256)) {
      checks.push({ name, ok: false, problem: 'proof', detail: 'the manifest entry has no SHA-256' });
      rootOk = false;
      continue;
    }
    const leaf = leafHash(sha, fileLeaf(name, fromHex(entry.sha256)));
    leaves.push(leaf);
    const proof = toInclusionProof(entry.proof);
    const fromPath = proof ? rootFromInclusionProof(sha, leaf, proof) : null;
    const bytes = files.get(name);
    if (!fromPath || !equalBytes(fromPath, root)) {
      checks.push({
        name,
        ok: false,
        problem: 'proof',
        detail: 'the entry does not lead to the manifest root',
      });
      continue;
    }
    if (!bytes) {
      checks.push({ name, ok: false, problem: 'missing', detail: 'the file is not in the bundle' });
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== entry.sha256) {
      checks.push({
        name,
        ok: false,
        problem: 'changed',
        detail: `SHA-256 is ${actual}, the manifest says ${entry.sha256}`,
      });
      continue;
    }
    if (bytes.length !== entry.size) {
      checks.push({
        name,
        ok: false,
        problem: 'size',
        detail: `${bytes.length} bytes, the manifest says ${entry.size}`,
      });
      continue;
    }
    checks.push({ name, ok: true });
  }
  if (rootOk && !equalBytes(merkleRootOfLeafHashes(sha, leaves), root)) rootOk = false;
  const named = new Set(entries.map((e) => String(e?.name)));
  const extra = [...files.keys()].filter((n) => !named.has(n));
  return { ok: rootOk && checks.every((c) => c.ok), rootOk, files: checks, extra };
}

function toInclusionProof(p: unknown): InclusionProof | null {
  const v = p as { index?: unknown; size?: unknown; path?: unknown };
  if (!v || typeof v.index !== 'number' || typeof v.size !== 'number' || !Array.isArray(v.path)) return null;
  if (!v.path.every((h) => isHex32(h))) return null;
  return { index: v.index, size: v.size, path: (v.path as string[]).map(fromHex) };
}
