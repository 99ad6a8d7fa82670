// The state machine: executes blocks of transactions against the state through the contracts, and
// produces the block's header commitments, receipts and events. Pure and deterministic: no clock (time
// comes from the block), no randomness (entropy comes from the parent hash and the tx id), no I/O. A tx
// that fails is recorded with its reason and changes nothing but its sender's nonce; it never aborts the
// block. A tx that is not authentic or not fresh changes nothing at all.
import type { z } from 'zod';
import { type Address, isAddress } from './address';
import {
  type Block,
  type BlockHeader,
  blockHash,
  sortValidators,
  type Validator,
  validatorSetHash,
  validatorsFromValue,
  validatorsToValue,
} from './block';
import { concatBytes, equalBytes, toHex, utf8 } from './bytes';
import type { CryptoSuite, SuiteId } from './crypto/types';
import { EncodingError, encodeCanonical, type Value, type ValueMap } from './encoding';
import { ContractError, type RejectionCode, TxRejected } from './errors';
import { leafHash, merkleRootOfLeafHashes } from './merkle';
import { nextStateRoot, StateOverlay, type StateReader, type Writes, withWrites } from './state';
import { decodeTx, isOriginalKey, type SignedTx, verifyTxSignature } from './tx';

// ------------------------------------------------------------------------------------------ contracts

/** What a contract sees while it runs one action of one tx. */
export interface ContractContext {
  /** The contract whose key space writes go to and whose name events carry. */
  readonly contract: string;
  readonly sender: Address;
  readonly senderKey: Uint8Array;
  readonly txId: Uint8Array;
  readonly txIdHex: string;
  readonly actionIndex: number;
  readonly chainId: string;
  readonly height: number;
  /** Block time, ms since the epoch: the only clock a contract has. */
  readonly time: number;
  readonly suite: CryptoSuite;
  /** Reads any contract's state (cross-contract reads are how contracts cooperate). */
  get<T extends Value = Value>(key: string): T | undefined;
  /** Writes within this contract's own key space (`<contract>/…`). */
  set(key: string, value: Value): void;
  delete(key: string): void;
  emit(name: string, attrs: ValueMap): void;
  /** 32 fresh bytes derived from the parent block hash, the tx and a counter: the same on every node. */
  entropy(): Uint8Array;
  /** The same tx seen from another contract, for calling that contract's library functions. */
  as(contract: string): ContractContext;
}

export interface ActionDefinition<P = unknown> {
  params: z.ZodType<P>;
  run(ctx: ContractContext, params: P): void;
}

export interface ContractModule {
  name: string;
  version: number;
  actions: Record<string, ActionDefinition<never>>;
  /** Seeds the contract's state from its section of the genesis document. */
  genesis?(ctx: ContractContext, config: Value): void;
}

export function defineAction<S extends z.ZodType>(
  params: S,
  run: (ctx: ContractContext, params: z.output<S>) => void,
): ActionDefinition<never> {
  return { params, run } as unknown as ActionDefinition<never>;
}

/** The contracts a chain runs, with the versions governance has activated from given heights. */
export class ContractRegistry {
  private readonly modules = new Map<string, Map<number, ContractModule>>();

  constructor(modules: readonly ContractModule[] = []) {
    for (const m of modules) this.register(m);
  }

  register(module: ContractModule): this {
    const versions = this.modules.get(module.name) ?? new Map<number, ContractModule>();
    this.modules.set(module.name, versions);
    if (versions.has(module.version))
      throw new Error(`contract ${module.name} v${module.version} registered twice`);
    versions.set(module.version, module);
    return this;
  }

  names(): string[] {
    return [...this.modules.keys()];
  }

  versions(name: string): number[] {
    return [...(this.modules.get(name)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /**
   * The module in force for `name` at `height`: the highest activation at or below the height, version 1
   * when governance never activated another.
   */
  resolve(name: string, height: number, state: StateReader): ContractModule | undefined {
    const versions = this.modules.get(name);
    if (!versions) return undefined;
    const activations = state.get(ACTIVATIONS_KEY) as ValueMap | undefined;
    const list = (activations?.[name] as { version: number; height: number }[] | undefined) ?? [];
    let version = 1;
    for (const a of list) if (a.height <= height && a.version > version) version = a.version;
    const module = versions.get(version);
    // A node without the activated version must halt rather than run other code and fork from the rest.
    if (!module)
      throw new NodeOutdated(
        `contract ${name} v${version} is active from height ${height} but this node does not have it: upgrade the node`,
      );
    return module;
  }
}

// ------------------------------------------------------------------------------------------ keys owned by the runtime

export const NONCE_PREFIX = 'core/nonce/';
export const KEYS_PREFIX = 'core/keys/';
export const VALIDATORS_KEY = 'core/validators';
/** Written by governance: `{ height, validators }`, the set that takes over at `height`. */
export const PENDING_VALIDATORS_KEY = 'governance/validators.pending';
/** Written by governance: `{ [contract]: [{ version, height }] }`. */
export const ACTIVATIONS_KEY = 'governance/activations';

export function nonceOf(state: StateReader, address: Address): number {
  return (state.get(NONCE_PREFIX + address) as number | undefined) ?? 0;
}

/** Keys an account authorises: those recorded by a rotation, or else the key its address came from. */
export function authorisedKeys(state: StateReader, address: Address): Uint8Array[] | undefined {
  return state.get(KEYS_PREFIX + address) as Uint8Array[] | undefined;
}

export function validatorsOf(state: StateReader): Validator[] {
  return ((state.get(VALIDATORS_KEY) as Validator[] | undefined) ?? []).slice();
}

// ------------------------------------------------------------------------------------------ blocks

export interface RuntimeEnv {
  suite: CryptoSuite;
  contracts: ContractRegistry;
}

export interface ChainHead {
  chainId: string;
  height: number;
  blockHash: Uint8Array;
  time: number;
  stateRoot: Uint8Array;
}

export interface LedgerState {
  head: ChainHead;
  store: StateReader;
}

export interface ChainEvent {
  txIndex: number;
  txId: Uint8Array;
  /** Position of the event within the block. */
  index: number;
  contract: string;
  name: string;
  attrs: ValueMap;
}

export interface Receipt {
  txIndex: number;
  txId: Uint8Array;
  from: Address | null;
  /** The tx's nonce, when it decoded. */
  nonce: number | null;
  ok: boolean;
  code?: RejectionCode;
  message?: string;
  /** Events of this tx are `events[firstEvent .. firstEvent + eventCount)`. */
  firstEvent: number;
  eventCount: number;
}

export interface BlockResult {
  header: BlockHeader;
  /** Canonical bytes of each event (its Merkle leaf), in order: kept so storage does not encode again. */
  eventBytes: Uint8Array[];
  /** Canonical bytes of written values, where known. */
  encodedValues: ReadonlyMap<string, Uint8Array>;
  hash: Uint8Array;
  receipts: Receipt[];
  events: ChainEvent[];
  writes: Writes;
  /** The state after the block; the input state is untouched. */
  state: LedgerState;
  nextValidators: Validator[];
  /** Txs whose bytes were decoded and signature checked during execution (not admitted beforehand). */
  checkedHere: number;
}

export interface Proposal {
  time: number;
  proposer: Uint8Array;
  txs: readonly Uint8Array[];
}

/** This node lacks code the chain has activated: it must stop, not guess. Never caught per tx. */
export class NodeOutdated extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeOutdated';
  }
}

export class BlockInvalid extends Error {
  constructor(
    readonly height: number,
    message: string,
  ) {
    super(`block ${height} is invalid: ${message}`);
    this.name = 'BlockInvalid';
  }
}

export function encodeEvent(e: ChainEvent): Uint8Array {
  return encodeCanonical({
    type: 'event',
    txIndex: e.txIndex,
    txId: e.txId,
    index: e.index,
    contract: e.contract,
    name: e.name,
    attrs: e.attrs,
  });
}

interface PendingEvent {
  contract: string;
  name: string;
  attrs: ValueMap;
}

class TxContext implements ContractContext {
  constructor(
    readonly contract: string,
    private readonly overlay: StateOverlay,
    private readonly events: PendingEvent[],
    readonly sender: Address,
    readonly senderKey: Uint8Array,
    readonly txId: Uint8Array,
    readonly txIdHex: string,
    readonly actionIndex: number,
    readonly chainId: string,
    readonly height: number,
    readonly time: number,
    readonly suite: CryptoSuite,
    private readonly parentHash: Uint8Array,
    private readonly entropyCounter: { n: number },
  ) {}

  get<T extends Value = Value>(key: string): T | undefined {
    return this.overlay.get(key) as T | undefined;
  }

  private own(key: string) {
    if (!key.startsWith(`${this.contract}/`)) {
      throw new ContractError('contract_fault', `contract ${this.contract} may not write ${key}`);
    }
  }

  set(key: string, value: Value): void {
    this.own(key);
    // Encode now, so a value outside the model fails this tx instead of the whole block at commit time;
    // the bytes are kept for the state commitment and for storage.
    this.overlay.set(key, value, encodeCanonical(value));
  }

  delete(key: string): void {
    this.own(key);
    this.overlay.delete(key);
  }

  emit(name: string, attrs: ValueMap): void {
    this.events.push({ contract: this.contract, name, attrs });
  }

  entropy(): Uint8Array {
    const n = this.entropyCounter.n++;
    return this.suite.hash(
      concatBytes(
        utf8('gongxin/entropy'),
        this.parentHash,
        this.txId,
        new Uint8Array([this.actionIndex & 0xff, n >> 8, n & 0xff]),
      ),
    );
  }

  as(contract: string): ContractContext {
    return new TxContext(
      contract,
      this.overlay,
      this.events,
      this.sender,
      this.senderKey,
      this.txId,
      this.txIdHex,
      this.actionIndex,
      this.chainId,
      this.height,
      this.time,
      this.suite,
      this.parentHash,
      this.entropyCounter,
    );
  }
}

function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'params'}: ${i.message}`)
    .join('; ');
}

/** Checks that need no contract: shape, chain, key, signature, nonce. Shared by the mempool. */
export function checkTx(
  env: RuntimeEnv,
  state: StateReader,
  chainId: string,
  bytes: Uint8Array,
  opts: { nonce: 'exact' | 'not-stale'; signatureVerified?: boolean; decoded?: SignedTx } = {
    nonce: 'exact',
  },
): SignedTx {
  const tx = opts.decoded ?? decodeTx(env.suite, bytes);
  const { body } = tx;
  if (body.chainId !== chainId)
    throw new TxRejected('wrong_chain', `transaction is for chain "${body.chainId}", this is "${chainId}"`);
  const keys = authorisedKeys(state, body.from);
  const authorised = keys
    ? keys.some((k) => equalBytes(k, body.key))
    : isOriginalKey(env.suite, body.from, body.key);
  if (!authorised)
    throw new TxRejected('key_not_authorized', `key is not authorised for account ${body.from}`);
  const expected = nonceOf(state, body.from);
  if (opts.nonce === 'exact' ? body.nonce !== expected : body.nonce < expected) {
    throw new TxRejected('bad_nonce', `nonce ${body.nonce} is not the account's next nonce ${expected}`);
  }
  if (!opts.signatureVerified && !verifyTxSignature(env.suite, tx)) {
    throw new TxRejected('bad_signature', 'signature does not verify for the body and key');
  }
  return tx;
}

export interface ExecuteOptions {
  /**
   * Txs (by `txKey`) whose signatures this node already verified (on mempool admission): the same bytes
   * need not be verified twice. The key covers the whole wire form, so a different signature for the same
   * body is verified afresh.
   */
  verifiedSignatures?: { has(key: string): boolean };
  /**
   * Txs this node already decoded and verified from exactly these wire bytes, by `txKey` (the key is the
   * tx's leaf hash in the block's tx tree, which execution computes anyway): they are neither decoded nor
   * verified again. The chain, key and nonce checks still run against the block's state.
   */
  admitted?: { get(key: string): SignedTx | undefined };
}

/**
 * Execute a proposal on a state: the proposer builds its header from the result; validators compare it
 * with the header they were sent (see applyBlock).
 */
export function executeBlock(
  env: RuntimeEnv,
  state: LedgerState,
  proposal: Proposal,
  opts: ExecuteOptions = {},
): BlockResult {
  const { suite, contracts } = env;
  const { head } = state;
  const height = head.height + 1;
  const blockOverlay = new StateOverlay(state.store);
  const receipts: Receipt[] = [];
  const events: ChainEvent[] = [];
  const eventBytes: Uint8Array[] = [];
  const record = (e: ChainEvent) => {
    events.push(e);
    eventBytes.push(encodeEvent(e));
  };
  const validators = sortValidators(validatorsOf(state.store));

  // Contract versions are fixed for the whole block: an activation applies from a height, never mid-block.
  const resolved = new Map<string, ContractModule | undefined>();
  const moduleFor = (name: string) => {
    if (!resolved.has(name)) resolved.set(name, contracts.resolve(name, height, state.store));
    return resolved.get(name);
  };

  const txLeaves = new Array<Uint8Array>(proposal.txs.length);
  let checkedHere = 0;
  proposal.txs.forEach((bytes, txIndex) => {
    const firstEvent = events.length;
    const leaf = leafHash(suite.hash, bytes);
    txLeaves[txIndex] = leaf;
    let tx: SignedTx;
    try {
      const key = opts.verifiedSignatures || opts.admitted ? toHex(leaf) : '';
      const decoded = opts.admitted?.get(key);
      const signatureVerified = decoded !== undefined || (opts.verifiedSignatures?.has(key) ?? false);
      if (!signatureVerified) checkedHere++;
      tx = checkTx(env, blockOverlay, head.chainId, bytes, { nonce: 'exact', signatureVerified, decoded });
    } catch (error) {
      const rejected = error instanceof TxRejected ? error : new TxRejected('malformed', String(error));
      const txId = suite.hash(bytes);
      receipts.push({
        txIndex,
        txId,
        from: null,
        nonce: null,
        ok: false,
        code: rejected.code,
        message: rejected.message,
        firstEvent,
        eventCount: 1,
      });
      record({
        txIndex,
        txId,
        index: firstEvent,
        contract: 'core',
        name: 'tx.rejected',
        attrs: { code: rejected.code, message: rejected.message },
      });
      return;
    }
    const { body } = tx;
    // The nonce advances whatever the actions do: a failed tx is spent, never replayable.
    blockOverlay.set(NONCE_PREFIX + body.from, body.nonce + 1);
    const txOverlay = new StateOverlay(blockOverlay);
    const pending: PendingEvent[] = [];
    const txIdHex = toHex(tx.id);
    const entropyCounter = { n: 0 };
    let failure: { code: RejectionCode; message: string; action: number } | null = null;
    for (let i = 0; i < body.actions.length && !failure; i++) {
      const action = body.actions[i]!;
      try {
        const module = moduleFor(action.contract);
        if (!module) throw new ContractError('unknown_contract', `no contract named "${action.contract}"`);
        const definition = module.actions[action.name];
        if (!definition || !Object.hasOwn(module.actions, action.name)) {
          throw new ContractError(
            'unknown_action',
            `contract ${action.contract} has no action "${action.name}"`,
          );
        }
        const parsed = definition.params.safeParse(action.params);
        if (!parsed.success) throw new ContractError('invalid_params', describeZodError(parsed.error));
        const ctx = new TxContext(
          action.contract,
          txOverlay,
          pending,
          body.from,
          body.key,
          tx.id,
          txIdHex,
          i,
          head.chainId,
          height,
          proposal.time,
          suite,
          head.blockHash,
          entropyCounter,
        );
        definition.run(ctx, parsed.data as never);
      } catch (error) {
        if (error instanceof NodeOutdated) throw error;
        failure =
          error instanceof TxRejected
            ? { code: error.code, message: error.message, action: i }
            : {
                code: 'contract_fault',
                message: `contract error: ${(error as Error)?.message ?? String(error)}`,
                action: i,
              };
      }
    }
    // Encode the tx's events with their final positions; a value outside the model fails this tx only.
    let prepared: { event: ChainEvent; bytes: Uint8Array }[] = [];
    if (!failure) {
      try {
        prepared = pending.map((e, i) => {
          const event = {
            txIndex,
            txId: tx.id,
            index: firstEvent + i,
            contract: e.contract,
            name: e.name,
            attrs: e.attrs,
          };
          return { event, bytes: encodeEvent(event) };
        });
      } catch (error) {
        failure = {
          code: 'contract_fault',
          message: `contract emitted an event that cannot be recorded: ${(error as Error).message}`,
          action: body.actions.length - 1,
        };
      }
    }
    if (failure) {
      receipts.push({
        txIndex,
        txId: tx.id,
        from: body.from,
        nonce: body.nonce,
        ok: false,
        code: failure.code,
        message: failure.message,
        firstEvent,
        eventCount: 1,
      });
      record({
        txIndex,
        txId: tx.id,
        index: firstEvent,
        contract: 'core',
        name: 'tx.failed',
        attrs: { code: failure.code, message: failure.message, action: failure.action, from: body.from },
      });
      return;
    }
    txOverlay.mergeInto(blockOverlay);
    for (const { event, bytes } of prepared) {
      events.push(event);
      eventBytes.push(bytes);
    }
    receipts.push({
      txIndex,
      txId: tx.id,
      from: body.from,
      nonce: body.nonce,
      ok: true,
      firstEvent,
      eventCount: events.length - firstEvent,
    });
  });

  // Validator-set changes decided by governance take over at the height they name.
  let nextValidators = validators;
  const pending = blockOverlay.get(PENDING_VALIDATORS_KEY) as
    | { height: number; validators: Validator[] }
    | undefined;
  if (pending && pending.height <= height + 1) {
    nextValidators = sortValidators(pending.validators);
    blockOverlay.set(VALIDATORS_KEY, validatorsToValue(nextValidators));
    blockOverlay.writes.set(PENDING_VALIDATORS_KEY, null);
  }

  const writes = blockOverlay.writes;
  const stateRoot = nextStateRoot(suite, head.stateRoot, writes, blockOverlay.encoded);
  const header: BlockHeader = {
    chainId: head.chainId,
    height,
    time: proposal.time,
    parentHash: head.blockHash,
    txCount: proposal.txs.length,
    txRoot: merkleRootOfLeafHashes(suite.hash, txLeaves),
    eventCount: events.length,
    eventRoot: merkleRootOfLeafHashes(
      suite.hash,
      eventBytes.map((b) => leafHash(suite.hash, b)),
    ),
    stateRoot,
    validatorsHash: validatorSetHash(suite, validators),
    nextValidatorsHash: validatorSetHash(suite, nextValidators),
    proposer: proposal.proposer,
  };
  const hash = blockHash(suite, header);
  return {
    header,
    hash,
    eventBytes,
    encodedValues: blockOverlay.encoded,
    receipts,
    events,
    writes,
    state: {
      head: { chainId: head.chainId, height, blockHash: hash, time: proposal.time, stateRoot },
      store: withWrites(state.store, writes),
    },
    nextValidators,
    checkedHere,
  };
}

const headerFields: (keyof BlockHeader)[] = [
  'chainId',
  'height',
  'time',
  'parentHash',
  'txCount',
  'txRoot',
  'eventCount',
  'eventRoot',
  'stateRoot',
  'validatorsHash',
  'nextValidatorsHash',
  'proposer',
];

/**
 * Apply a block someone else proposed: check its header against the chain head and the validator set,
 * re-execute its transactions and require every commitment in the header to match.
 */
export function applyBlock(
  env: RuntimeEnv,
  state: LedgerState,
  block: Block,
  opts: ExecuteOptions = {},
): BlockResult {
  const { header } = block;
  const { head } = state;
  const height = head.height + 1;
  if (header.chainId !== head.chainId)
    throw new BlockInvalid(height, `chain "${header.chainId}" is not "${head.chainId}"`);
  if (header.height !== height)
    throw new BlockInvalid(height, `height ${header.height} does not follow ${head.height}`);
  if (!equalBytes(header.parentHash, head.blockHash))
    throw new BlockInvalid(height, 'parent hash is not the chain head');
  if (!Number.isSafeInteger(header.time) || header.time <= head.time)
    throw new BlockInvalid(height, 'time must be after the parent block');
  const validators = validatorsOf(state.store);
  if (!validators.some((v) => equalBytes(v.key, header.proposer)))
    throw new BlockInvalid(height, 'proposer is not a validator');
  if (header.txCount !== block.txs.length) throw new BlockInvalid(height, 'tx count does not match the txs');
  const result = executeBlock(
    env,
    state,
    { time: header.time, proposer: header.proposer, txs: block.txs },
    opts,
  );
  for (const field of headerFields) {
    const a = header[field];
    const b = result.header[field];
    const same = a instanceof Uint8Array && b instanceof Uint8Array ? equalBytes(a, b) : a === b;
    if (!same) throw new BlockInvalid(height, `${field} does not match the result of executing the block`);
  }
  return result;
}

// ------------------------------------------------------------------------------------------ genesis

export interface GenesisDocument {
  chainId: string;
  suite: SuiteId;
  /** ms since the epoch; block 1 must be later. */
  time: number;
  validators: Validator[];
  /** Each contract's genesis section, by contract name. */
  contracts?: Record<string, Value>;
}

export function genesisToValue(doc: GenesisDocument): ValueMap {
  return {
    type: 'genesis',
    chainId: doc.chainId,
    suite: doc.suite,
    time: doc.time,
    validators: validatorsToValue(doc.validators),
    contracts: (doc.contracts ?? {}) as ValueMap,
  };
}

/**
 * The document back from its value (`genesisToValue`, with or without the `type` tag), e.g. as a node
 * stores it; a value of another shape throws EncodingError.
 */
export function genesisFromValue(v: Value): GenesisDocument {
  const m = v as ValueMap;
  if (
    !m ||
    typeof m !== 'object' ||
    Array.isArray(m) ||
    m instanceof Uint8Array ||
    typeof m.chainId !== 'string' ||
    typeof m.suite !== 'string' ||
    typeof m.time !== 'number' ||
    (m.contracts !== undefined && (typeof m.contracts !== 'object' || Array.isArray(m.contracts)))
  ) {
    throw new EncodingError('a genesis document is {chainId, suite, time, validators, contracts}');
  }
  return {
    chainId: m.chainId,
    suite: m.suite as SuiteId,
    time: m.time,
    validators: validatorsFromValue(m.validators as Value),
    contracts: (m.contracts ?? {}) as Record<string, Value>,
  };
}

export function genesisHash(suite: CryptoSuite, doc: GenesisDocument): Uint8Array {
  return suite.hash(encodeCanonical(genesisToValue(doc)));
}

/** The state at height 0: validators in place and each contract's genesis section applied. */
export function createGenesisState(
  env: RuntimeEnv,
  doc: GenesisDocument,
): { state: LedgerState; writes: Writes; hash: Uint8Array } {
  const { suite, contracts } = env;
  if (suite.id !== doc.suite) throw new Error(`genesis is for suite ${doc.suite}, runtime has ${suite.id}`);
  if (doc.validators.length === 0) throw new Error('genesis needs at least one validator');
  for (const v of doc.validators) {
    if (
      v.key.length !== suite.publicKeyLength ||
      !Number.isSafeInteger(v.power) ||
      v.power <= 0 ||
      !isAddress(v.operator)
    ) {
      throw new Error(
        `genesis validator ${v.name} is malformed (key length, positive power, operator address)`,
      );
    }
  }
  const hash = genesisHash(suite, doc);
  const overlay = new StateOverlay({ get: () => undefined });
  overlay.set(VALIDATORS_KEY, validatorsToValue(doc.validators));
  const events: PendingEvent[] = [];
  const known = new Set(contracts.names());
  for (const section of Object.keys(doc.contracts ?? {})) {
    if (!known.has(section))
      throw new Error(`genesis has a section for "${section}", which is not a contract of this chain`);
  }
  for (const name of contracts.names()) {
    const module = contracts.resolve(name, 0, overlay);
    const section = doc.contracts?.[name];
    if (module?.genesis && section !== undefined) {
      const ctx = new TxContext(
        name,
        overlay,
        events,
        '' as Address,
        new Uint8Array(),
        hash,
        toHex(hash),
        0,
        doc.chainId,
        0,
        doc.time,
        suite,
        hash,
        { n: 0 },
      );
      module.genesis(ctx, section);
    }
  }
  const stateRoot = nextStateRoot(suite, new Uint8Array(32), overlay.writes);
  return {
    state: {
      head: { chainId: doc.chainId, height: 0, blockHash: hash, time: doc.time, stateRoot },
      store: withWrites({ get: () => undefined }, overlay.writes),
    },
    writes: overlay.writes,
    hash,
  };
}
