// Chain export files: a header naming the chain, then each block with its commit certificate, as
// length-prefixed canonical records. Another node imports them by verifying every certificate and
// re-executing every block, exactly as block sync does — an export is never trusted, only checked.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
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
): Promise<ExportHeader> {
  const genesisHash = await store.getMeta('genesis_hash');
  if (!genesisHash) throw new Error('nothing to export: the database has no chain');
  const header: ExportHeader = { chainId, genesisHash, fromHeight, toHeight: await store.headHeight() };
  const out = createWriteStream(file);
  const write = async (b: Buffer) => {
    if (!out.write(b)) await once(out, 'drain');
  };
  await write(frame(encodeCanonical({ type: 'gongxin-export', v: 1, ...header })));
  for (let h = fromHeight; h <= header.toHeight; h += 100) {
    for (const b of await store.blocksFrom(h, 100)) {
      await write(
        frame(
          encodeCanonical({ block: encodeBlock(b.block), certificate: encodeCertificate(b.certificate) }),
        ),
      );
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return header;
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
  if (pending.length > 0) throw new Error('export file ends in the middle of a record');
  if (!sawHeader) throw new Error('export file is empty');
  if (batch.length) yield batch;
}
