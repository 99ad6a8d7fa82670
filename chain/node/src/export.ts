// Chain export files: a header naming the chain, then each block with its commit certificate, as
// length-prefixed canonical records. Another node imports them by verifying every certificate and
// re-executing every block, exactly as block sync does — an export is never trusted, only checked.
// An export is written under a temporary name and renamed when complete (a killed export leaves no file
// that looks whole); an import reads the whole file first and refuses one that does not hold every
// block its header names, before applying any.
import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
} from 'node:fs';
import {
  type Block,
  type CommitCertificate,
  decodeBlock,
  decodeCanonical,
  decodeCertificate,
  encodeBlock,
  encodeCanonical,
  encodeCertificate,
  type ValueMap,
} from '@gongxin/ledger';
import type { ChainStore } from './storage/store';

const MAX_RECORD = 256 * 1024 * 1024;

export interface ExportHeader {
  chainId: string;
  genesisHash: Uint8Array;
  fromHeight: number;
  toHeight: number;
}

function frame(bytes: Uint8Array): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(bytes.length);
  return Buffer.concat([prefix, bytes]);
}

export async function exportChain(
  store: ChainStore,
  chainId: string,
  file: string,
  fromHeight = 1,
  toHeight?: number,
): Promise<ExportHeader> {
  const genesisHash = await store.getMeta('genesis_hash');
  if (!genesisHash) throw new Error('nothing to export: the database has no chain');
  const head = await store.headHeight();
  const header: ExportHeader = {
    chainId,
    genesisHash,
    fromHeight,
    toHeight: Math.min(toHeight ?? head, head),
  };
  const partial = `${file}.partial-${process.pid}`;
  const out = createWriteStream(partial);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  const write = async (b: Buffer) => {
    if (!out.write(b)) await Promise.race([once(out, 'drain'), failed]);
  };
  try {
    await write(frame(encodeCanonical({ type: 'gongxin-export', v: 1, ...header })));
    let next = fromHeight;
    for (let h = fromHeight; h <= header.toHeight; h += 100) {
      for (const b of await store.blocksFrom(h, Math.min(100, header.toHeight - h + 1))) {
        if (b.height !== next) throw new Error(`block ${next} is missing from the database`);
        next++;
        await write(
          frame(
            encodeCanonical({ block: encodeBlock(b.block), certificate: encodeCertificate(b.certificate) }),
          ),
        );
      }
    }
    if (next !== header.toHeight + 1) throw new Error(`block ${next} is missing from the database`);
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    // Durable before it takes the real name: a crash leaves the old file or the whole new one.
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, file);
  } catch (error) {
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
  return header;
}

/**
 * Read a whole export once without applying anything: every record decodes, the blocks run without a gap
 * from the header's first height to its last. Throws naming what is missing; answers the header.
 */
export async function checkExport(file: string): Promise<ExportHeader & { blocks: number }> {
  let header: ExportHeader | null = null;
  let next = 0;
  let blocks = 0;
  for await (const item of readExport(file)) {
    if (!Array.isArray(item)) {
      header = item;
      next = item.fromHeight;
      continue;
    }
    for (const { block } of item) {
      if (block.header.height !== next)
        throw new Error(
          `the export skips from block ${next - 1} to ${block.header.height}: blocks ${next}–${block.header.height - 1} are missing`,
        );
      next++;
      blocks++;
    }
  }
  if (!header) throw new Error('export file is empty');
  if (next - 1 !== header.toHeight) {
    const last = next - 1;
    throw new Error(
      `the export's header names blocks ${header.fromHeight}–${header.toHeight}, but the file ends after ${
        last >= header.fromHeight ? `block ${last}` : 'its header'
      }: blocks ${last + 1}–${header.toHeight} are missing (the file was cut short); nothing was imported`,
    );
  }
  return { ...header, blocks };
}

/** Read an export: the header first, then the blocks in batches. */
export async function* readExport(
  file: string,
): AsyncGenerator<ExportHeader | { block: Block; certificate: CommitCertificate }[]> {
  let pending = Buffer.alloc(0);
  let sawHeader = false;
  let batch: { block: Block; certificate: CommitCertificate }[] = [];
  for await (const chunk of createReadStream(file)) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (length > MAX_RECORD) throw new Error(`export record of ${length} bytes is larger than allowed`);
      if (pending.length < 4 + length) break;
      const record = decodeCanonical(new Uint8Array(pending.subarray(4, 4 + length))) as ValueMap;
      pending = pending.subarray(4 + length);
      if (!sawHeader) {
        if (record.type !== 'gongxin-export' || record.v !== 1) throw new Error('not a Gongxin export file');
        sawHeader = true;
        yield {
          chainId: record.chainId as string,
          genesisHash: record.genesisHash as Uint8Array,
          fromHeight: record.fromHeight as number,
          toHeight: record.toHeight as number,
        };
        continue;
      }
      batch.push({
        block: decodeBlock(record.block as Uint8Array),
        certificate: decodeCertificate(record.certificate as Uint8Array),
      });
      if (batch.length >= 100) {
        yield batch;
        batch = [];
      }
    }
  }
  if (pending.length > 0)
    throw new Error(
      `export file ends in the middle of a record (after ${sawHeader ? 'its header' : 'nothing'} and the blocks before it): the file was cut short`,
    );
  if (!sawHeader) throw new Error('export file is empty');
  if (batch.length) yield batch;
}
