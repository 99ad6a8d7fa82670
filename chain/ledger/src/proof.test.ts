import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getSuite as browserSuite } from './crypto/browser';
import { getSuite } from './crypto/node';
import {
  ContractRegistry,
  createGenesisState,
  decodeProofBundle,
  defineAction,
  encodeEvent,
  encodeProofBundle,
  inclusionProof,
  leafHash,
  type RuntimeEnv,
  type SuiteId,
  type TrustedValidatorSet,
  verifyProofBundle,
  verifyRecord,
} from './index';
import { certify, nextBlock, signedTx, testAccount, testValidator } from './testing';

const chainId = 'gongxin-proofs';

describe.each(['ed25519-sha256', 'sm2-sm3'] as SuiteId[])('verifyRecord on %s', (suiteId) => {
  const suite = getSuite(suiteId);
  const note = {
    name: 'memo',
    version: 1,
    actions: {
      write: defineAction(z.object({ text: z.string() }).strict(), (ctx, { text }) =>
        ctx.emit('written', { text }),
      ),
    },
  };
  const env: RuntimeEnv = { suite, contracts: new ContractRegistry([note]) };
  const validators = [1, 2, 3, 4].map((i) => testValidator(suite, i));
  const trusted: TrustedValidatorSet = {
    chainId,
    suite: suiteId,
    validators: validators.map((v) => v.validator),
  };
  const genesis = createGenesisState(env, {
    chainId,
    suite: suiteId,
    time: 1_000,
    validators: trusted.validators.slice(),
  }).state;
  const user = testAccount(suite, 7);
  const txs = [0, 1, 2, 3, 4].map((n) =>
    signedTx(suite, chainId, user, n, [{ contract: 'memo', name: 'write', params: { text: `note ${n}` } }]),
  );
  const block = nextBlock(env, genesis, txs, validators[0]!.account.publicKey);
  // Three of four validators (equal power) is more than two thirds.
  const certificate = certify(
    suite,
    block.header,
    validators.slice(0, 3).map((v) => v.account),
  );

  function txBundle(index: number) {
    const proof = inclusionProof(
      suite.hash,
      txs.map((t) => leafHash(suite.hash, t)),
      index,
    );
    return { record: { kind: 'tx' as const, bytes: txs[index]! }, proof, header: block.header, certificate };
  }

  it('verifies a tx and an event in Node and with the browser implementation', () => {
    const b = txBundle(3);
    const result = verifyRecord(suite, b.record, b.proof, b.header, b.certificate, trusted);
    expect(result).toMatchObject({ ok: true, height: 1 });
    expect(result.steps.map((s) => s.check)).toEqual(['chain', 'inclusion', 'validators', 'certificate']);
    const eventLeaves = block.events.map((e) => encodeEvent(e));
    const eventProof = inclusionProof(
      suite.hash,
      eventLeaves.map((l) => leafHash(suite.hash, l)),
      2,
    );
    const browser = browserSuite(suiteId);
    expect(
      verifyRecord(
        browser,
        { kind: 'event', bytes: eventLeaves[2]! },
        eventProof,
        block.header,
        certificate,
        trusted,
      ).ok,
    ).toBe(true);
  });

  it('fails when any single byte of the bundle is flipped', () => {
    const bytes = encodeProofBundle(txBundle(1));
    expect(verifyProofBundle(suite, bytes, trusted).ok).toBe(true);
    const codes = new Set<string>();
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const tampered = bytes.slice();
        tampered[i]! ^= mask;
        const result = verifyProofBundle(suite, tampered, trusted);
        if (result.ok) throw new Error(`flipping bit ${mask} of byte ${i} still verified`);
        // Every refusal names its reason with a code a page can translate.
        const failedStep = result.steps.find((s) => !s.ok);
        if (!failedStep?.code) throw new Error(`flipping bit ${mask} of byte ${i}: a failure without a code`);
        codes.add(failedStep.code);
      }
    }
    expect([...codes]).toEqual(expect.arrayContaining(['decode', 'inclusion-path', 'certificate-signature']));
  });

  it('fails with fewer than two thirds, a foreign validator set, a tx passed off as an event, or the wrong position', () => {
    const b = txBundle(0);
    const weak = certify(
      suite,
      block.header,
      validators.slice(0, 2).map((v) => v.account),
    );
    expect(verifyRecord(suite, b.record, b.proof, b.header, weak, trusted)).toMatchObject({
      ok: false,
      failed: expect.stringContaining('two thirds'),
    });
    const weakStep = verifyRecord(suite, b.record, b.proof, b.header, weak, trusted).steps.at(-1);
    expect(weakStep).toMatchObject({ code: 'certificate-power', params: { power: 20, total: 40 } });
    const other = { ...trusted, validators: [testValidator(suite, 99).validator] };
    expect(verifyRecord(suite, b.record, b.proof, b.header, certificate, other)).toMatchObject({
      ok: false,
      failed: expect.stringContaining('validator set'),
    });
    expect(verifyRecord(suite, b.record, b.proof, b.header, certificate, other).steps.at(-1)?.code).toBe(
      'validators-set',
    );
    expect(
      verifyRecord(suite, { kind: 'event', bytes: b.record.bytes }, b.proof, b.header, certificate, trusted)
        .ok,
    ).toBe(false);
    expect(verifyRecord(suite, b.record, { ...b.proof, index: 1 }, b.header, certificate, trusted).ok).toBe(
      false,
    );
    const doubled = { ...certificate, signatures: [...certificate.signatures, certificate.signatures[0]!] };
    expect(verifyRecord(suite, b.record, b.proof, b.header, doubled, trusted)).toMatchObject({
      ok: false,
      failed: expect.stringContaining('twice'),
    });
    expect(verifyRecord(suite, b.record, b.proof, b.header, doubled, trusted).steps.at(-1)?.code).toBe(
      'certificate-duplicate',
    );
    expect(
      verifyRecord(suite, b.record, b.proof, b.header, certificate, { ...trusted, chainId: 'x' }).ok,
    ).toBe(false);
  });

  it('never throws on garbage', () => {
    expect(verifyProofBundle(suite, new Uint8Array([1, 2, 3]), trusted).ok).toBe(false);
    const b = txBundle(0);
    expect(
      verifyRecord(
        suite,
        b.record,
        { index: 0, size: 5, path: null as never },
        b.header,
        certificate,
        trusted,
      ).ok,
    ).toBe(false);
    expect(decodeProofBundle(encodeProofBundle(b)).header).toEqual(b.header);
  });
});
