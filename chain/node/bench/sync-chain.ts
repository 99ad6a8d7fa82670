// The chain the sync benchmark runs: four validators (fixed test keys), a one-action contract whose txs
// are the "records" whose proofs are checked, and the generator's schedule of them.
import {
  type ContractModule,
  ContractRegistry,
  defineAction,
  type GenesisDocument,
  type MemoryState,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { signedTx, testAccount, testValidator } from '@gongxin/ledger/testing';
import { z } from 'zod';

export const suite = getSuite('ed25519-sha256');
export const chainId = 'gongxin-sync-bench';

const note: ContractModule = {
  name: 'note',
  version: 1,
  actions: {
    put: defineAction(z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict(), (ctx, { hash }) => {
      ctx.set(`note/${hash}`, ctx.sender);
      ctx.emit('noted', { hash });
    }),
  },
};

export const contracts = new ContractRegistry([note]);
export const validators = Array.from({ length: 4 }, (_, i) => testValidator(suite, i + 1));
export const genesis: GenesisDocument = {
  chainId,
  suite: suite.id,
  time: 1_700_000_000_000,
  validators: validators.map((v) => v.validator),
};
export const authors = Array.from({ length: 16 }, (_, i) => testAccount(suite, 100 + i));
/** Node keys of the nodes that are not validators (admitted by all). */
export const followerKeys = Array.from({ length: 4 }, (_, i) => testAccount(suite, 600 + i));

/** Authors of the bulk records that fill the state. */
const bulkAuthors = Array.from({ length: 500 }, (_, i) => testAccount(suite, 10_000 + i));

function noteTx(
  author: (typeof authors)[number],
  state: MemoryState,
  text: string,
  nonceOffset = 0,
): Uint8Array {
  const nonce = ((state.get(`core/nonce/${author.address}`) as number | undefined) ?? 0) + nonceOffset;
  const hex = Buffer.from(suite.hash(new TextEncoder().encode(text))).toString('hex');
  return signedTx(suite, chainId, author, nonce, [{ contract: 'note', name: 'put', params: { hash: hex } }]);
}

/**
 * The txs of a generated chain: `bulk` notes in the first blocks (500 a block, from heights 2 on) so the
 * state has that many entries, then a record every `every` blocks and at height 100 (the one whose proof
 * is checked).
 */
export function recordsEvery(every: number, bulk = 0) {
  const bulkBlocks = Math.ceil(bulk / bulkAuthors.length);
  return (height: number, state: MemoryState): Uint8Array[] => {
    if (height >= 2 && height < 2 + bulkBlocks) {
      const n = Math.min(bulkAuthors.length, bulk - (height - 2) * bulkAuthors.length);
      return bulkAuthors.slice(0, n).map((a) => noteTx(a, state, `bulk ${height} ${a.address}`));
    }
    if (height !== 100 && height % every !== 0) return [];
    return [noteTx(authors[height % authors.length]!, state, `record at ${height}`)];
  };
}
