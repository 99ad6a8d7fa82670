// The invariants, checked while the run happens (safety) and at its end (liveness, audit):
//
//  fork                 two honest nodes committed different blocks at one height
//  bad-certificate      a node decided a block whose certificate does not verify against its validators
//  invalid-decision     a node decided a block its own runtime refuses
//  lost-commit          after a restart, a node's durable chain lacks (or changed) a block it had
//                       reported committed
//  honest-equivocation  an honest validator signed two different proposals or votes for one
//                       (height, round, kind), or a node reported evidence against an honest validator:
//                       what the WAL exists to prevent across crashes
//  audit                at the end, an honest node's chain does not link up, is signed by a validator
//                       set the run never had, or carries a certificate that does not verify against
//                       the set its header names
//  liveness             after the fault phase, some honest node did not commit K more heights in time
//  exception            the machine, the runtime or the codec threw
//
// Byzantine nodes' own chains and signatures are excluded from the honest checks (they equivocate on
// purpose), but evidence they are caught in is counted.

import type { ConsensusMessage } from '@gongxin/consensus';
import { hashKey } from '@gongxin/consensus';
import {
  blockHash,
  equalBytes,
  fromHex,
  toHex,
  type Validator,
  validatorSetHash,
  verifyCertificate,
} from '@gongxin/ledger';
import { count } from './network';
import type { SimPeer } from './peer';
import type { Simulation } from './simulation';
import { CHAIN_ID } from './world';

export type ViolationKind =
  | 'fork'
  | 'bad-certificate'
  | 'invalid-decision'
  | 'lost-commit'
  | 'honest-equivocation'
  | 'audit'
  | 'liveness'
  | 'exception';

export class Checker {
  /** height → the first honest commit. */
  private readonly decided = new Map<number, { hashHex: string; node: string }>();
  /** Per node: height → hash it reported committed. */
  private readonly reported: Map<number, string>[];
  /** `${validator}/${height}/${round}/${kind}` → what the honest validator signed. */
  private readonly signed = new Map<string, string>();

  constructor(private readonly sim: Simulation) {
    this.reported = sim.scenario.powers.map(() => new Map());
  }

  /** The block the others decided before the run ('far-behind'), as a first commit. */
  private historyAt(height: number): { hashHex: string; node: string } | undefined {
    const block = this.sim.history?.blocks[height - 1];
    return block ? { hashHex: block.hashHex, node: 'the history built before the run' } : undefined;
  }

  onCommit(node: SimPeer, height: number, hashHex: string, via: string): void {
    this.reported[node.index]!.set(height, hashHex);
    this.sim.onCommitted(node, via);
    if (node.byzantine) return;
    const first = this.decided.get(height) ?? this.historyAt(height);
    if (!first) this.decided.set(height, { hashHex, node: node.name });
    else if (first.hashHex !== hashHex)
      this.sim.violation(
        'fork',
        `height ${height}: ${first.node} committed ${first.hashHex.slice(0, 16)} but ${node.name} committed ` +
          `${hashHex.slice(0, 16)} (via ${via})`,
      );
    this.sim.onHonestCommit();
  }

  onRestart(node: SimPeer): void {
    const chain = node.durable.chain;
    // What it held before the run ('far-behind') counts as reported committed.
    const history = this.sim.history;
    if (history) {
      const held =
        node.index === this.sim.scenario.farBehind?.node ? history.prefixLength : history.blocks.length;
      for (let height = 1; height <= held; height++) {
        const entry = chain[height - 1];
        const block = history.blocks[height - 1]!;
        if (entry !== block && (!entry || entry.hashHex !== block.hashHex || entry.height !== height)) {
          this.sim.violation(
            'lost-commit',
            `${node.name} held block ${height} (${block.hashHex.slice(0, 16)}) before the run, but after its restart ` +
              `its durable chain ${entry ? `has ${entry.hashHex.slice(0, 16)}` : `ends at height ${chain.length}`}`,
          );
          return;
        }
      }
    }
    for (const [height, hashHex] of this.reported[node.index]!) {
      const entry = chain[height - 1];
      if (!entry || entry.hashHex !== hashHex || entry.height !== height) {
        this.sim.violation(
          'lost-commit',
          `${node.name} reported block ${height} (${hashHex.slice(0, 16)}) committed, but after its restart its ` +
            `durable chain ${entry ? `has ${entry.hashHex.slice(0, 16)}` : `ends at height ${chain.length}`}`,
        );
        return;
      }
    }
  }

  /** Every message an honest node signs and sends: no two different ones for one slot. */
  onSigned(node: SimPeer, message: ConsensusMessage): void {
    let slot: string;
    let what: string;
    if (message.type === 'proposal') {
      const p = message.proposal;
      slot = `${node.index}/${p.height}/${p.round}/proposal`;
      what = `${toHex(blockHash(this.sim.world.suite, p.block.header))}/vr${p.validRound}`;
    } else {
      const v = message.vote;
      slot = `${node.index}/${v.height}/${v.round}/${v.kind}`;
      what = hashKey(v.blockHash);
    }
    const before = this.signed.get(slot);
    if (before === undefined) this.signed.set(slot, what);
    else if (before !== what)
      this.sim.violation(
        'honest-equivocation',
        `honest ${node.name} signed two different messages for ${slot}: ${before} and ${what}`,
      );
  }

  /** A node holds evidence that `validator` equivocated (`what` it did, for the report). */
  onEvidence(node: SimPeer, validator: Uint8Array | string, what: string): void {
    const culprit = this.sim.validatorIndex(typeof validator === 'string' ? fromHex(validator) : validator);
    count(this.sim.faults, 'evidence');
    if (culprit !== undefined && !this.sim.nodes[culprit]!.byzantine) {
      this.sim.violation(
        'honest-equivocation',
        `${node.name} holds evidence that honest n${culprit} ${what}`,
      );
    }
  }

  /**
   * End of run: every honest chain links up from genesis and every certificate verifies against the
   * validator set its block's header names: the genesis set, or the one the run's governance change set.
   */
  audit(): void {
    const { suite } = this.sim.world;
    const genesisSet = this.sim.world.validators.map((v) => v.validator);
    const sets = new Map<string, Validator[]>([[toHex(validatorSetHash(suite, genesisSet)), genesisSet]]);
    const reconfig = this.sim.scenario.reconfig;
    if (reconfig) {
      const changed = genesisSet.map((v, i) => ({ ...v, power: reconfig.powers[i]! }));
      sets.set(toHex(validatorSetHash(suite, changed)), changed);
    }
    const genesisHash = this.sim.genesisHash;
    // Stored blocks several disks share (the 'far-behind' history) are checked once: the same object gives
    // the same hash, set and certificate check; heights and links are still checked on every chain.
    const verified = new Map<object, Uint8Array>();
    for (const node of this.sim.nodes) {
      if (node.byzantine) continue;
      let parent = genesisHash;
      for (const [i, c] of node.durable.chain.entries()) {
        const known = verified.get(c);
        if (known) {
          if (c.height !== i + 1 || !equalBytes(c.block.header.parentHash, parent)) {
            const problem = c.height !== i + 1 ? 'heights out of order' : 'parent hash does not link';
            this.sim.violation('audit', `${node.name} block ${c.height}: ${problem}`);
            return;
          }
          parent = known;
          continue;
        }
        const hash = blockHash(suite, c.block.header);
        const validators = sets.get(toHex(c.block.header.validatorsHash));
        const problem =
          c.height !== i + 1 || c.block.header.height !== c.height
            ? 'heights out of order'
            : !equalBytes(c.block.header.parentHash, parent)
              ? 'parent hash does not link'
              : toHex(hash) !== c.hashHex
                ? 'stored hash is not the block hash'
                : !validators
                  ? 'signed by a validator set the run never had'
                  : null;
        if (problem) {
          this.sim.violation('audit', `${node.name} block ${c.height}: ${problem}`);
          return;
        }
        const check = verifyCertificate(suite, CHAIN_ID, c.certificate, validators!, {
          height: c.height,
          blockHash: hash,
        });
        if (!check.ok) {
          this.sim.violation('audit', `${node.name} block ${c.height}: certificate: ${check.reason}`);
          return;
        }
        verified.set(c, hash);
        parent = hash;
      }
    }
  }
}
