// A bundle on disk: one directory with the captured files, `manifest.json` and `receipt.json`. The
// manifest and receipt are not bundle files themselves: the receipt carries the manifest, and the anchored
// root covers every captured file (capture.json holds the URL and times).
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BundleFile, BundleManifest } from './bundle';
import type { EvidenceReceipt } from './verify';

export const MANIFEST_FILE = 'manifest.json';
export const RECEIPT_FILE = 'receipt.json';

export async function writeBundle(
  dir: string,
  files: readonly BundleFile[],
  manifest: BundleManifest,
  receipt?: EvidenceReceipt,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const f of files) await writeFile(path.join(dir, f.name), f.bytes);
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  if (receipt) await writeFile(path.join(dir, RECEIPT_FILE), `${JSON.stringify(receipt, null, 2)}\n`);
}

/** The receipt and every other file of the directory by name. */
export async function readBundle(
  dir: string,
): Promise<{ receipt: EvidenceReceipt; files: Map<string, Uint8Array> }> {
  const receipt = JSON.parse(await readFile(path.join(dir, RECEIPT_FILE), 'utf8')) as EvidenceReceipt;
  const files = new Map<string, Uint8Array>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name === MANIFEST_FILE || entry.name === RECEIPT_FILE) continue;
    files.set(entry.name, new Uint8Array(await readFile(path.join(dir, entry.name))));
  }
  return { receipt, files };
}
