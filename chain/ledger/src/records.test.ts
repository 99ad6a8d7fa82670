// Vectors for the chain's records (tx, header, vote, event, certificate) on both crypto suites, kept in
// test-vectors/records.json for a second implementation to check itself against. This test rebuilds them
// from fixed keys and fails if the file and the code ever disagree (UPDATE_VECTORS=1 rewrites the file).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getSuite } from './crypto/node';
import {
  type BlockHeader,
  blockHash,
  encodeCanonical,
  encodeEvent,
  encodeHeader,
  merkleRoot,
  type SuiteId,
  signTx,
  toHex,
  validatorSetHash,
  voteSignBytes,
} from './index';
import { testAccount, testValidator } from './testing';

const file = new URL('../test-vectors/records.json', import.meta.url);

function build(suiteId: SuiteId) {
  const suite = getSuite(suiteId);
  const alice = testAccount(suite, 1);
  const bob = testAccount(suite, 2);
  const { account: v, validator } = testValidator(suite, 1);
  const tx = signTx(
    suite,
    {
      chainId: 'gongxin-vectors',
      from: alice.address,
      key: alice.publicKey,
      nonce: 7,
      actions: [
        { contract: 'assets', name: 'transfer', params: { symbol: 'CNY', to: bob.address, amount: 12345 } },
      ],
      memo: '房租',
    },
    alice.privateKey,
  );
  const event = {
    txIndex: 0,
    txId: tx.id,
    index: 0,
    contract: 'assets',
    name: 'transferred',
    attrs: { symbol: 'CNY', from: alice.address, to: bob.address, amount: 12345 },
  };
  const header: BlockHeader = {
    chainId: 'gongxin-vectors',
    height: 42,
    time: 1_764_000_000_000,
    parentHash: suite.hash(new TextEncoder().encode('parent')),
    txCount: 1,
    txRoot: merkleRoot(suite.hash, [tx.bytes]),
    eventCount: 1,
    eventRoot: merkleRoot(suite.hash, [encodeEvent(event)]),
    stateRoot: suite.hash(new TextEncoder().encode('state')),
    validatorsHash: validatorSetHash(suite, [validator]),
    nextValidatorsHash: validatorSetHash(suite, [validator]),
    proposer: v.publicKey,
  };
  const hash = blockHash(suite, header);
  const vote = voteSignBytes('gongxin-vectors', 'precommit', 42, 0, hash);
  return {
    suite: suiteId,
    keys: {
      alicePrivateKey: toHex(alice.privateKey),
      alicePublicKey: toHex(alice.publicKey),
      aliceAddress: alice.address,
      bobAddress: bob.address,
      validatorPrivateKey: toHex(v.privateKey),
      validatorPublicKey: toHex(v.publicKey),
    },
    tx: {
      bodyHex: toHex(tx.bodyBytes),
      signatureHex: toHex(tx.signature),
      wireHex: toHex(tx.bytes),
      idHex: toHex(tx.id),
    },
    event: { hex: toHex(encodeEvent(event)) },
    validatorSet: {
      hex: toHex(
        encodeCanonical({
          type: 'validators',
          validators: [
            {
              key: validator.key,
              power: validator.power,
              name: validator.name,
              operator: validator.operator,
            },
          ],
        }),
      ),
      hashHex: toHex(header.validatorsHash),
    },
    header: { hex: toHex(encodeHeader(header)), hashHex: toHex(hash) },
    precommit: { signBytesHex: toHex(vote), signatureHex: toHex(suite.sign(vote, v.privateKey)) },
  };
}

describe('record vectors', () => {
  const built = {
    about: 'Gongxin record vectors: see docs/encoding.md. Keys are test keys from fixed seeds.',
    vectors: (['ed25519-sha256', 'sm2-sm3'] as SuiteId[]).map(build),
  };

  it('test-vectors/records.json matches what the code produces', () => {
    if (process.env.UPDATE_VECTORS === '1') writeFileSync(file, `${JSON.stringify(built, null, 2)}\n`);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored).toEqual(built);
  });

  it('every stored signature verifies and every hash recomputes', () => {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as typeof built;
    for (const v of stored.vectors) {
      const suite = getSuite(v.suite);
      const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
      expect(suite.verify(hex(v.tx.signatureHex), hex(v.tx.bodyHex), hex(v.keys.alicePublicKey))).toBe(true);
      expect(toHex(suite.hash(hex(v.tx.bodyHex)))).toBe(v.tx.idHex);
      expect(toHex(suite.hash(hex(v.header.hex)))).toBe(v.header.hashHex);
      expect(
        suite.verify(
          hex(v.precommit.signatureHex),
          hex(v.precommit.signBytesHex),
          hex(v.keys.validatorPublicKey),
        ),
      ).toBe(true);
    }
  });
});
