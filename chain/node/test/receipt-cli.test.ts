// `gongxin receipt verify`: a receipt of a certified block verifies against its file offline (exit 0,
// naming the block and the signers) and fails with the reason for a file one byte different, a tampered
// proof and a validator set the verifier does not trust. One run goes through the real bin for its exit code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildReceipt,
  ContractRegistry,
  createGenesisState,
  defineAction,
  encodeProofBundle,
  inclusionProof,
  leafHash,
  type RuntimeEnv,
  toHex,
} from '@gongxin/ledger';
import { getSuite, sha256 } from '@gongxin/ledger/crypto/node';
import { certify, nextBlock, signedTx, testAccount, testValidator } from '@gongxin/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { main } from '../src/cli';

const suite = getSuite('ed25519-sha256');
const chainId = 'gongxin-receipt-cli';
const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-receipt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const notary = {
  name: 'notary',
  version: 1,
  actions: {
    anchor: defineAction(z.object({ hash: z.string(), type: z.string() }).strict(), () => {}),
  },
};
const env: RuntimeEnv = { suite, contracts: new ContractRegistry([notary]) };
const validators = [1, 2, 3, 4].map((i) => testValidator(suite, i));
const set = { chainId, suite: suite.id, validators: validators.map((v) => v.validator) };
const genesis = createGenesisState(env, {
  chainId,
  suite: suite.id,
  time: 5_000,
  validators: set.validators,
});
const document = new TextEncoder().encode('租赁合同 lease contract, signed 2026-12-04');
const tx = signedTx(suite, chainId, testAccount(suite, 4), 0, [
  { contract: 'notary', name: 'anchor', params: { hash: toHex(sha256(document)), type: 'contract' } },
]);
const block = nextBlock(env, genesis.state, [tx], validators[0]!.account.publicKey);
const bundle = encodeProofBundle({
  record: { kind: 'tx', bytes: tx },
  proof: inclusionProof(suite.hash, [leafHash(suite.hash, tx)], 0),
  header: block.header,
  certificate: certify(
    suite,
    block.header,
    validators.slice(1).map((v) => v.account),
  ),
});
const receipt = buildReceipt(suite, { sha256: toHex(sha256(document)), name: 'lease.txt' }, bundle, set);

const write = (name: string, data: string | Uint8Array) => {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
};
const receiptFile = write('lease.receipt.json', JSON.stringify(receipt, null, 2));
const documentFile = write('lease.txt', document);

async function gongxin(...args: string[]) {
  const lines: string[] = [];
  const { log, error } = console;
  console.log = (line: string) => lines.push(line);
  console.error = (line: string) => lines.push(line);
  try {
    return { code: await main(args), out: lines.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe('gongxin receipt verify', () => {
  it('verifies a receipt against its file offline, naming the block and who signed', async () => {
    const { code, out } = await gongxin('receipt', 'verify', receiptFile, documentFile);
    expect(code).toBe(0);
    expect(out).toContain('VERIFIED');
    expect(out).toContain(`block      1  ${receipt.block.hash}`);
    expect(out).toContain('validator-2, validator-3, validator-4  (30 of 40 voting power)');

    const genesisFile = write('genesis.json', JSON.stringify({ ...receipt.chain, ...receipt }));
    expect((await gongxin('receipt', 'verify', receiptFile, documentFile, '--trust', genesisFile)).code).toBe(
      0,
    );
  });

  it('fails for a file one byte different, naming the hash mismatch', async () => {
    const changed = document.slice();
    changed[0]! ^= 0x20;
    const { code, out } = await gongxin('receipt', 'verify', receiptFile, write('changed.txt', changed));
    expect(code).toBe(1);
    expect(out).toContain(`NOT VERIFIED  file: the file's SHA-256 is ${toHex(sha256(changed))}`);
  });

  it('fails for a tampered proof and for an untrusted validator set', async () => {
    const bytes = Buffer.from(receipt.proof, 'hex');
    bytes[bytes.length - 10]! ^= 0x01;
    const tampered = write('tampered.json', JSON.stringify({ ...receipt, proof: bytes.toString('hex') }));
    const t = await gongxin('receipt', 'verify', tampered, documentFile);
    expect(t.code).toBe(1);
    expect(t.out).toMatch(/NOT VERIFIED {2}(decode|certificate|inclusion|block|chain|tx|validators):/);

    const others = [5, 6, 7, 8].map((i) => testValidator(suite, i).validator);
    const otherSet = write(
      'others.json',
      JSON.stringify({
        chainId,
        suite: suite.id,
        validators: others.map((v) => ({ ...v, key: toHex(v.key) })),
      }),
    );
    const u = await gongxin('receipt', 'verify', receiptFile, documentFile, '--trust', otherSet);
    expect(u.code).toBe(1);
    expect(u.out).toContain('NOT VERIFIED  trust:');
  });

  it('answers a usage error with exit 2 and the usage', async () => {
    const r = await gongxin('receipt', 'verify', receiptFile);
    expect(r.code).toBe(2);
    expect(r.out).toContain('gongxin receipt verify <receipt.json> <file>');
  });

  it('exits 0 and 1 from the real command line', () => {
    const bin = fileURLToPath(new URL('../bin/gongxin.mjs', import.meta.url));
    const ok = spawnSync(process.execPath, [bin, 'receipt', 'verify', receiptFile, documentFile], {
      encoding: 'utf8',
    });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('VERIFIED');
    const bad = spawnSync(
      process.execPath,
      [bin, 'receipt', 'verify', receiptFile, write('other.txt', readFileSync(documentFile).subarray(1))],
      { encoding: 'utf8' },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("NOT VERIFIED  file: the file's SHA-256 is");
  }, 60_000);
});
