// The chain client: the node API over tRPC (batched queries, SSE subscriptions), with errors as
// ChainError and proofs verified locally. Isomorphic: no Node built-ins; `fetch` (and EventSource when
// the runtime has one) come from the environment or the caller.
import {
  type ChainEvent,
  type ChainRecord,
  type CryptoSuite,
  decodeCanonical,
  decodeProofBundle,
  decodeTx,
  fromHex,
  type GenesisDocument,
  genesisFromValue,
  genesisHash,
  type ProofBundle,
  type SignedTx,
  type TrustedValidatorSet,
  toHex,
  type Verification,
  type VerificationStep,
  verifyRecord,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto';
import type {
  AccountJson,
  BlockJson,
  BlockSummaryJson,
  BlockTxAtJson,
  ChainInfoJson,
  CommittedTxJson,
  EventJson,
  EventProofJson,
  NodeRouter,
  Page,
  StateEntryJson,
  SubmitResultJson,
  TxJson,
  TxProofJson,
  TxSummaryJson,
  ValidatorSetJson,
} from '@gongxin/node/api';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import { trustedFromJson } from './convert';
import { ChainError, toChainError } from './errors';
import { type FetchEventSourceConstructor, fetchEventSource } from './event-source';

export interface ChainClientOptions {
  /** Where the node API is mounted: `/trpc` and `/v1` are under it (e.g. `http://127.0.0.1:8080`). */
  url: string;
  /** The chain's crypto suite; default: the one `chain.info` names, from `@gongxin/ledger/crypto`. */
  suite?: CryptoSuite;
  /** Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  /**
   * EventSource for subscriptions. Default: the runtime's when it has one and no `fetch` was given,
   * else an EventSource over `fetch`.
   */
  EventSource?: FetchEventSourceConstructor | (new (url: string) => unknown);
  /**
   * The validator set the client trusts for verification. When absent, `verifyTx` and `verifyEvent`
   * fetch the set from the node (see `VerifyOptions.trusted` for what that means).
   */
  trusted?: TrustedValidatorSet;
}

export interface EventFilter {
  contract?: string;
  name?: string;
  fromHeight?: number;
  toHeight?: number;
  cursor?: string;
  limit?: number;
}

export interface VerifyOptions {
  /**
   * The validator set to check the certificate against. Without one the client asks the node for the
   * set of the block's height: that proves the record is in a block those validators signed, but a
   * light client that must not trust the node should pin the set it trusts (from genesis or a trusted
   * party) and pass it here or in ChainClientOptions.
   */
  trusted?: TrustedValidatorSet;
}

export type VerifiedTx = Verification & { proof: TxProofJson; bundle: ProofBundle | null };
export type VerifiedEvent = Verification & { proof: EventProofJson; bundle: ProofBundle | null };

export interface ChainIdentity {
  chainId: string;
  suite: CryptoSuite;
}

export interface Subscription {
  unsubscribe(): void;
}

export interface ChainClient {
  readonly url: string;
  /** The underlying tRPC client, for procedures this wrapper does not cover. */
  readonly trpc: TRPCClient<NodeRouter>;
  info(): Promise<ChainInfoJson>;
  /**
   * The genesis document the chain started from, checked against the genesis hash the node reports
   * (a mismatch throws ChainError `invalid_genesis`): what a read model rebuilt from block 1 seeds from.
   */
  genesis(): Promise<GenesisDocument>;
  /** The chain id and crypto suite: asked once (one `chain.info`), then cached, since neither changes. */
  identity(): Promise<ChainIdentity>;
  /** The chain id (from `identity()`). */
  chainId(): Promise<string>;
  /** The chain's crypto suite (from options, else `identity()`). */
  suite(): Promise<CryptoSuite>;
  submit(tx: Uint8Array | SignedTx): Promise<SubmitResultJson>;
  submitAndWait(tx: Uint8Array | SignedTx, opts?: { timeoutMs?: number }): Promise<CommittedTxJson>;
  getTx(id: string): Promise<TxJson>;
  txsOf(address: string, page?: { cursor?: string; limit?: number }): Promise<Page<TxSummaryJson>>;
  getBlock(heightOrHash: number | string): Promise<BlockJson>;
  latestBlocks(limit?: number): Promise<BlockSummaryJson[]>;
  blockRange(from: number, limit?: number): Promise<BlockSummaryJson[]>;
  /** The txs of blocks `fromHeight`..`toHeight` in chain order (id, sender, outcome), keyset-paged. */
  blockTxs(query: {
    fromHeight: number;
    toHeight: number;
    cursor?: string;
    limit?: number;
  }): Promise<Page<BlockTxAtJson>>;
  events(filter?: EventFilter): Promise<Page<EventJson>>;
  eventsOfTx(id: string): Promise<EventJson[]>;
  account(address: string): Promise<AccountJson>;
  state(key: string): Promise<StateEntryJson>;
  validatorsAt(height: number): Promise<ValidatorSetJson>;
  /** Blocks from `fromHeight` (default: the next one), then live. Returns the unsubscribe function. */
  subscribeBlocks(
    fromHeight: number | undefined,
    onBlock: (block: BlockJson) => void,
    onError?: (error: ChainError) => void,
  ): () => void;
  /** Matching events from `filter.fromHeight` (default: new ones only), then live. */
  subscribeEvents(
    filter: Omit<EventFilter, 'cursor' | 'limit' | 'toHeight'>,
    onEvent: (event: EventJson) => void,
    onError?: (error: ChainError) => void,
  ): () => void;
  proveTx(id: string): Promise<TxProofJson>;
  proveEvent(height: number, index: number): Promise<EventProofJson>;
  /** Fetch the tx's proof and verify it here: inclusion, header, certificate against the trusted set. */
  verifyTx(id: string, opts?: VerifyOptions): Promise<VerifiedTx>;
  verifyEvent(height: number, index: number, opts?: VerifyOptions): Promise<VerifiedEvent>;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toChainError(error);
  }
}

const wireOf = (tx: Uint8Array | SignedTx) => toHex(tx instanceof Uint8Array ? tx : tx.bytes);

function failed(check: string, detail: string, steps: VerificationStep[] = []): Verification {
  return { ok: false, failed: `${check}: ${detail}`, steps: [...steps, { check, ok: false, detail }] };
}

export function createChainClient(opts: ChainClientOptions): ChainClient {
  const base = opts.url.replace(/\/+$/, '');
  const fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const nativeEventSource = (globalThis as { EventSource?: new (url: string) => unknown }).EventSource;
  const EventSourceImpl =
    opts.EventSource ?? (opts.fetch ? undefined : nativeEventSource) ?? fetchEventSource(fetchFn);
  const trpc = createTRPCClient<NodeRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${base}/trpc`,
          EventSource: EventSourceImpl as FetchEventSourceConstructor,
        }),
        false: httpBatchLink({ url: `${base}/trpc`, fetch: fetchFn as never, maxItems: 20 }),
      }),
    ],
  });

  // One question for both, shared by concurrent callers; a failed one is asked again next time.
  let identityCache: Promise<ChainIdentity> | null = null;
  const identity = () => {
    if (!identityCache) {
      const asked = client
        .info()
        .then((info) => ({ chainId: info.chainId, suite: opts.suite ?? getSuite(info.suite) }));
      asked.catch(() => {
        if (identityCache === asked) identityCache = null;
      });
      identityCache = asked;
    }
    return identityCache;
  };
  const suite = () => (opts.suite ? Promise.resolve(opts.suite) : identity().then((i) => i.suite));

  async function trustedFor(height: number, given?: TrustedValidatorSet): Promise<TrustedValidatorSet> {
    const pinned = given ?? opts.trusted;
    if (pinned) return pinned;
    return trustedFromJson(await client.validatorsAt(height));
  }

  function decodeBundle(hex: string): ProofBundle | null {
    try {
      return decodeProofBundle(fromHex(hex));
    } catch {
      return null;
    }
  }

  const client: ChainClient = {
    url: base,
    trpc,
    info: () => call(() => trpc.chain.info.query()),
    async genesis() {
      const json = await call(() => trpc.chain.genesis.query());
      return checkedGenesis(json.genesisHash, json.encoded, await suite());
    },
    identity,
    chainId: () => identity().then((i) => i.chainId),
    suite,
    submit: (tx) => call(() => trpc.tx.submit.mutate({ tx: wireOf(tx) })),
    submitAndWait: (tx, o) =>
      call(() => trpc.tx.submitAndWait.mutate({ tx: wireOf(tx), timeoutMs: o?.timeoutMs })),
    getTx: (id) => call(() => trpc.tx.get.query({ id })),
    txsOf: (address, page) =>
      call(() => trpc.tx.byAccount.query({ address, cursor: page?.cursor, limit: page?.limit ?? 20 })),
    getBlock: (ref) =>
      call(() => trpc.block.get.query(typeof ref === 'number' ? { height: ref } : { hash: ref })),
    latestBlocks: (limit = 20) => call(() => trpc.block.latest.query({ limit })),
    blockRange: (from, limit = 20) => call(() => trpc.block.range.query({ from, limit })),
    blockTxs: (query) => call(() => trpc.block.txs.query({ ...query, limit: query.limit ?? 100 })),
    events: (filter = {}) => call(() => trpc.event.list.query({ ...filter, limit: filter.limit ?? 50 })),
    eventsOfTx: (id) => call(() => trpc.event.byTx.query({ id })),
    account: (address) => call(() => trpc.account.get.query({ address })),
    state: (key) => call(() => trpc.state.get.query({ key })),
    validatorsAt: (height) => call(() => trpc.validators.at.query({ height })),

    subscribeBlocks(fromHeight, onBlock, onError) {
      const sub = trpc.block.onNew.subscribe(fromHeight === undefined ? {} : { fromHeight }, {
        onData: (tracked) => onBlock(tracked.data),
        onError: (error) => onError?.(toChainError(error)),
      });
      return () => sub.unsubscribe();
    },

    subscribeEvents(filter, onEvent, onError) {
      const sub = trpc.event.onNew.subscribe(
        { contract: filter.contract, name: filter.name, fromHeight: filter.fromHeight },
        {
          onData: (tracked) => onEvent(tracked.data),
          onError: (error) => onError?.(toChainError(error)),
        },
      );
      return () => sub.unsubscribe();
    },

    proveTx: (id) => call(() => trpc.proof.tx.query({ id })),
    proveEvent: (height, index) => call(() => trpc.proof.event.query({ height, index })),

    async verifyTx(id, o) {
      const wanted = id.replace(/^0x/, '').toLowerCase();
      const [proof, s] = await Promise.all([client.proveTx(wanted), suite()]);
      const bundle = decodeBundle(proof.bundle);
      if (!bundle) return { ...failed('decode', 'the proof bundle does not decode'), proof, bundle };
      // The proof must be of the tx asked for, not of some other tx in a signed block.
      const recordId = txIdOf(s, bundle.record);
      if (bundle.record.kind !== 'tx' || recordId !== wanted)
        return {
          ...failed('record', `the proof is of ${bundle.record.kind} ${recordId}, not tx ${wanted}`),
          proof,
          bundle,
        };
      const steps: VerificationStep[] = [{ check: 'record', ok: true, detail: `tx ${wanted}` }];
      const trusted = await trustedFor(bundle.header.height, o?.trusted);
      const verdict = verifyRecord(
        s,
        bundle.record,
        bundle.proof,
        bundle.header,
        bundle.certificate,
        trusted,
      );
      return { ...verdict, steps: [...steps, ...verdict.steps], proof, bundle };
    },

    async verifyEvent(height, index, o) {
      const [proof, s] = await Promise.all([client.proveEvent(height, index), suite()]);
      const bundle = decodeBundle(proof.bundle);
      if (!bundle) return { ...failed('decode', 'the proof bundle does not decode'), proof, bundle };
      const event = bundle.record.kind === 'event' ? eventOf(bundle.record) : null;
      if (!event || event.index !== index || bundle.header.height !== height) {
        return {
          ...failed('record', `the proof is not of event ${index} of block ${height}`),
          proof,
          bundle,
        };
      }
      const steps: VerificationStep[] = [
        {
          check: 'record',
          ok: true,
          detail: `event ${index} of block ${height}: ${event.contract}/${event.name}`,
        },
      ];
      const trusted = await trustedFor(height, o?.trusted);
      const verdict = verifyRecord(
        s,
        bundle.record,
        bundle.proof,
        bundle.header,
        bundle.certificate,
        trusted,
      );
      return { ...verdict, steps: [...steps, ...verdict.steps], proof, bundle };
    },
  };
  return client;
}

/** A tx record's id: the hash of its body, or of the whole record when it does not decode. */
function txIdOf(suite: CryptoSuite, record: ChainRecord): string {
  try {
    return toHex(decodeTx(suite, record.bytes).id);
  } catch {
    return toHex(suite.hash(record.bytes));
  }
}

function eventOf(record: ChainRecord): Pick<ChainEvent, 'index' | 'contract' | 'name'> | null {
  try {
    const v = decodeCanonical(record.bytes) as Record<string, unknown>;
    if (v?.type !== 'event' || typeof v.index !== 'number') return null;
    return { index: v.index, contract: String(v.contract), name: String(v.name) };
  } catch {
    return null;
  }
}

export { ChainError };

/** The genesis document from its stored bytes, refused unless it hashes to `expectedHash`. */
export function checkedGenesis(
  expectedHash: string,
  encodedHex: string,
  suite: CryptoSuite,
): GenesisDocument {
  let doc: GenesisDocument;
  try {
    doc = genesisFromValue(decodeCanonical(fromHex(encodedHex)));
  } catch (error) {
    throw new ChainError('invalid_genesis', `the node's genesis document does not decode: ${String(error)}`);
  }
  const hash = toHex(genesisHash(suite, doc));
  if (hash !== expectedHash)
    throw new ChainError(
      'invalid_genesis',
      `the node's genesis document hashes to ${hash.slice(0, 16)}…, not its genesis hash ${expectedHash.slice(0, 16)}…`,
    );
  return doc;
}
