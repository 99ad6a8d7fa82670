// Proof-of-existence receipts, checked offline: a receipt built from a real block (executed, certified by
// three of four validators) verifies for its file, and fails — naming what is wrong — for a file one byte
// different, an edited proof, a forged signature, another validator set, or a receipt that lies about its
// block.
import {
  blockHash,
  ContractRegistry,
  createGenesisState,
  decodeProofBundle,
  defineAction,
  encodeProofBundle,
  fromHex,
  inclusionProof,
  leafHash,
  type RuntimeEnv,
  type SuiteId,
  type TrustedValidatorSet,
  toHex,
} from '@gongxin/ledger';
import { getSuite, sha256 } from '@gongxin/ledger/crypto/node';
import { certify, nextBlock, signedTx, testAccount, testValidator } from '@gongxin/ledger/testing';
import type { TxProofJson, ValidatorSetJson } from '@gongxin/node/api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type NotaryReceipt, receiptFromProof, verifyReceipt } from '../src';

const chainId = 'gongxin-receipts';

describe.each(['ed25519-sha256', 'sm2-sm3'] as SuiteId[])('notary receipts on %s', (suiteId) => {
  const suite = getSuite(suiteId);
  // The notary's anchor action as far as a receipt is concerned: a tx carrying the hash.
  const notary = {
    name: 'notary',
    version: 1,
    actions: {
      anchor: defineAction(z.object({ hash: z.string(), type: z.string() }).strict(), (ctx, { hash }) =>
        ctx.emit('anchored', { hash }),
      ),
    },
  };
  const env: RuntimeEnv = { suite, contracts: new ContractRegistry([notary]) };
  const validators = [1, 2, 3, 4].map((i) => testValidator(suite, i));
  const set = (vs: typeof validators): ValidatorSetJson => ({
    chainId,
    suite: suiteId,
    height: 1,
    validators: vs.map((v) => ({
      key: toHex(v.validator.key),
      power: v.validator.power,
      name: v.validator.name,
      operator: v.validator.operator,
    })),
    totalPower: vs.reduce((n, v) => n + v.validator.power, 0),
  });
  const genesis = createGenesisState(env, {
    chainId,
    suite: suiteId,
    time: 1_000,
    validators: validators.map((v) => v.validator),
  }).state;
  const user = testAccount(suite, 9);
  const files = [0, 1, 2].map((n) => new TextEncoder().encode(`合同 第${n}页 — lease contract page ${n}`));
  const txs = files.map((f, n) =>
    signedTx(suite, chainId, user, n, [
      { contract: 'notary', name: 'anchor', params: { hash: toHex(sha256(f)), type: 'contract' } },
    ]),
  );
  const block = nextBlock(env, genesis, txs, validators[0]!.account.publicKey);
  const certificate = certify(
    suite,
    block.header,
    validators.slice(0, 3).map((v) => v.account),
  );

  function proofOf(index: number, overrides: Partial<Parameters<typeof encodeProofBundle>[0]> = {}) {
    const proof = inclusionProof(
      suite.hash,
      txs.map((t) => leafHash(suite.hash, t)),
      index,
    );
    const bundle = encodeProofBundle({
      record: { kind: 'tx', bytes: txs[index]! },
      proof,
      header: block.header,
      certificate,
      ...overrides,
    });
    return { bundle: toHex(bundle), blockHash: toHex(blockHash(suite, block.header)) } as TxProofJson;
  }

  const receiptFor = (index: number): NotaryReceipt =>
    receiptFromProof(
      { sha256: toHex(sha256(files[index]!)), name: `page-${index}.txt` },
      proofOf(index),
      set(validators),
    );

  it('verifies a receipt for its file, offline, naming the block and who signed', () => {
    const receipt = receiptFor(1);
    expect(receipt).toMatchObject({
      format: 'gongxin-receipt/v1',
      chain: { chainId, suite: suiteId },
      tx: { index: 1, from: user.address },
      block: { height: 1, time: block.header.time },
      inclusion: { index: 1, size: 3 },
    });
    // A receipt travels as JSON text.
    const result = verifyReceipt({ receipt: JSON.stringify(receipt), file: files[1]! });
    expect(result).toMatchObject({
      ok: true,
      height: 1,
      time: block.header.time,
      sha256: toHex(sha256(files[1]!)),
      power: 30,
      totalPower: 40,
    });
    if (!result.ok) throw new Error(result.failed);
    expect(result.signers.map((s) => s.name)).toEqual(['validator-1', 'validator-2', 'validator-3']);
    expect(result.steps.map((s) => s.check)).toEqual([
      'format',
      'file',
      'tx',
      'anchor',
      'chain',
      'inclusion',
      'validators',
      'certificate',
    ]);
    // Pinning the chain's own set gives the same answer.
    const trusted: TrustedValidatorSet = {
      chainId,
      suite: suiteId,
      validators: validators.map((v) => v.validator),
    };
    expect(verifyReceipt({ receipt, file: files[1]!, trusted }).ok).toBe(true);
  });

  it('fails for a file one byte different, naming the hash mismatch', () => {
    const changed = files[1]!.slice();
    changed[changed.length - 1]! ^= 0x01;
    const result = verifyReceipt({ receipt: receiptFor(1), file: changed });
    expect(result).toMatchObject({ ok: false, check: 'file' });
    if (result.ok) return;
    expect(result.failed).toContain(`the file's SHA-256 is ${toHex(sha256(changed))}`);
    expect(result.failed).toContain(`the receipt is for ${toHex(sha256(files[1]!))}`);
  });

  it('fails when the receipt claims the hash of a file its tx did not anchor', () => {
    const receipt = { ...receiptFor(1), subject: { sha256: toHex(sha256(files[2]!)) } };
    const result = verifyReceipt({ receipt, file: files[2]! });
    expect(result).toMatchObject({ ok: false, check: 'anchor' });
  });

  it('fails for a changed byte in the inclusion proof', () => {
    const receipt = receiptFor(1);
    const bundle = decodeProofBundle(fromHex(receipt.proof));
    const path = bundle.proof.path.map((p) => p.slice());
    path[0]![5]! ^= 0x01;
    const edited = {
      ...receipt,
      proof: toHex(encodeProofBundle({ ...bundle, proof: { ...bundle.proof, path } })),
    };
    const result = verifyReceipt({ receipt: edited, file: files[1]! });
    expect(result).toMatchObject({ ok: false, check: 'inclusion' });
    if (!result.ok) expect(result.failed).toContain('not at position 1');

    // A byte flipped anywhere in the encoded proof fails too, for some named reason.
    const bytes = fromHex(receipt.proof);
    for (const at of [3, Math.floor(bytes.length / 2), bytes.length - 7]) {
      const flipped = bytes.slice();
      flipped[at]! ^= 0x01;
      const r = verifyReceipt({ receipt: { ...receipt, proof: toHex(flipped) }, file: files[1]! });
      expect(r.ok, `byte ${at}`).toBe(false);
      if (!r.ok)
        expect(r.failed).toMatch(/^(decode|tx|anchor|block|chain|inclusion|validators|certificate|input):/);
    }
  });

  it('fails for a forged validator signature', () => {
    const receipt = receiptFor(0);
    const bundle = decodeProofBundle(fromHex(receipt.proof));
    const signatures = bundle.certificate.signatures.map((s) => ({ ...s, signature: s.signature.slice() }));
    signatures[1]!.signature[10]! ^= 0x01;
    const forged = encodeProofBundle({ ...bundle, certificate: { ...bundle.certificate, signatures } });
    const result = verifyReceipt({ receipt: { ...receipt, proof: toHex(forged) }, file: files[0]! });
    expect(result).toMatchObject({ ok: false, check: 'certificate' });
    if (!result.ok) expect(result.failed).toContain('bad precommit signature by validator validator-2');
  });

  it('fails for a wrong validator set, whether in the receipt or pinned by the verifier', () => {
    const others = [5, 6, 7, 8].map((i) => testValidator(suite, i));
    const swapped = { ...receiptFor(2), validators: set(others).validators };
    const result = verifyReceipt({ receipt: swapped, file: files[2]! });
    expect(result).toMatchObject({ ok: false, check: 'validators' });
    if (!result.ok) expect(result.failed).toContain('different validator set');

    const pinned = verifyReceipt({
      receipt: receiptFor(2),
      file: files[2]!,
      trusted: { chainId, suite: suiteId, validators: others.map((v) => v.validator) },
    });
    expect(pinned).toMatchObject({ ok: false, check: 'trust' });
  });

  it('fails when the readable fields disagree with the proof, and never throws on junk', () => {
    const receipt = receiptFor(0);
    const r1 = verifyReceipt({
      receipt: { ...receipt, block: { ...receipt.block, height: 7 } },
      file: files[0]!,
    });
    expect(r1).toMatchObject({ ok: false, check: 'block' });
    const r2 = verifyReceipt({
      receipt: { ...receipt, block: { ...receipt.block, hash: 'ab'.repeat(32) } },
      file: files[0]!,
    });
    expect(r2).toMatchObject({ ok: false, check: 'block' });
    const r3 = verifyReceipt({
      receipt: { ...receipt, tx: { ...receipt.tx, id: 'cd'.repeat(32) } },
      file: files[0]!,
    });
    expect(r3).toMatchObject({ ok: false, check: 'tx' });
    for (const junk of [
      null,
      42,
      '{',
      '[]',
      { format: 'gongxin-receipt/v1' },
      { ...receipt, validators: [{}] },
    ]) {
      const r = verifyReceipt({ receipt: junk, file: files[0]! });
      expect(r).toMatchObject({ ok: false, check: 'format' });
    }
  });
});
