// The header chain from genesis, checked as a light client would: each header follows its parent by
// hash, is signed by the validator set the chain says signs it, and names the next set; a set change is
// accepted only with the new set's list (matching the hash the header names) and the certificate of the
// header that made it. What passes is the chain the validators committed, so a snapshot's block, and
// any record proof from any height, can be checked against it.
import {
  type BlockHeader,
  blockHash,
  type CommitCertificate,
  type CryptoSuite,
  equalBytes,
  toHex,
  type Validator,
  validatorSetHash,
  verifyCertificate,
} from '@gongxin/ledger';
import type { StoredHeader } from '../storage/store';

export interface ValidatorSetAt {
  /** First height this set signs. */
  height: number;
  hash: Uint8Array;
  validators: Validator[];
}

export interface HeaderChainOptions {
  suite: CryptoSuite;
  chainId: string;
  genesisHash: Uint8Array;
  genesisValidators: Validator[];
  /**
   * Which certificates to check signature by signature: 'all', or 'changes' — only those of headers that
   * change the validator set and of the last header of each batch; the others are then fixed by the
   * hash links from a certified header (they are still checked in full whenever a proof uses them).
   */
  certificates?: 'all' | 'changes';
}

export class HeaderChainError extends Error {
  constructor(
    readonly height: number,
    message: string,
  ) {
    super(`header ${height}: ${message}`);
    this.name = 'HeaderChainError';
  }
}

export class HeaderChainVerifier {
  /** The last header verified (0: genesis). */
  height = 0;
  private hash: Uint8Array;
  private validators: Validator[];
  private validatorsHash: Uint8Array;
  /** The sets that took effect after genesis, in order. */
  readonly changes: ValidatorSetAt[] = [];
  /** Certificates checked signature by signature. */
  certificatesChecked = 0;
  lastHeader: BlockHeader | null = null;
  /** The validator set that signed the last header. */
  lastSigners: Validator[];

  constructor(private readonly opts: HeaderChainOptions) {
    this.hash = opts.genesisHash;
    this.validators = opts.genesisValidators;
    this.validatorsHash = validatorSetHash(opts.suite, opts.genesisValidators);
    this.lastSigners = opts.genesisValidators;
  }

  /** The validator set that signs the next header. */
  get currentValidators(): Validator[] {
    return this.validators;
  }

  /**
   * Verify the next headers in order. `sets` holds the validator sets named by headers that change it
   * (by the hash they name). Throws HeaderChainError at the first header that does not hold; those
   * before it stay verified.
   */
  add(
    items: readonly { header: BlockHeader; certificate: CommitCertificate }[],
    sets: readonly Validator[][] = [],
  ): StoredHeader[] {
    const { suite, chainId } = this.opts;
    const out: StoredHeader[] = [];
    const byHash = new Map(sets.map((s) => [toHex(validatorSetHash(suite, s)), s]));
    // Checked on copies, kept only when the whole batch holds.
    let { height: last, hash: parent, validators, validatorsHash, lastSigners, certificatesChecked } = this;
    const changes: ValidatorSetAt[] = [];
    for (const [i, { header, certificate }] of items.entries()) {
      const height = last + 1;
      const fail = (message: string): never => {
        throw new HeaderChainError(height, message);
      };
      if (header.height !== height) fail(`a header for height ${header.height} came in its place`);
      if (header.chainId !== chainId) fail(`chain ${header.chainId}, not ${chainId}`);
      if (!equalBytes(header.parentHash, parent)) fail('parent hash is not the previous header');
      if (!equalBytes(header.validatorsHash, validatorsHash))
        fail('names a validator set other than the one the chain says signs it');
      const hash = blockHash(suite, header);
      if (certificate.height !== height || !equalBytes(certificate.blockHash, hash))
        fail('certificate is for another block');
      const changing = !equalBytes(header.nextValidatorsHash, header.validatorsHash);
      if (this.opts.certificates !== 'changes' || changing || i === items.length - 1) {
        const check = verifyCertificate(suite, chainId, certificate, validators, { height, blockHash: hash });
        if (!check.ok) fail(check.reason);
        certificatesChecked++;
      }
      lastSigners = validators;
      if (changing) {
        const next = byHash.get(toHex(header.nextValidatorsHash));
        if (!next) return fail('changes the validator set, and the new set was not sent');
        validators = next;
        validatorsHash = header.nextValidatorsHash;
        changes.push({ height: height + 1, hash: header.nextValidatorsHash, validators: next });
      }
      last = height;
      parent = hash;
      out.push({ header, hash, certificate });
    }
    Object.assign(this, {
      height: last,
      hash: parent,
      validators,
      validatorsHash,
      lastSigners,
      certificatesChecked,
    });
    this.changes.push(...changes);
    if (out.length > 0) this.lastHeader = out[out.length - 1]!.header;
    return out;
  }
}
