// @gongxin/client: the SDK apps, devices and browsers use to talk to a Gongxin node — queries, submission,
// live subscriptions, local proof verification, and a wallet that signs. Isomorphic: it runs in Node and
// in browsers (the suite comes from `@gongxin/ledger/crypto`, which resolves to @noble in a browser).

export {
  type NotaryReceipt,
  RECEIPT_FORMAT,
  type ReceiptSigner,
  type ReceiptStep,
  type ReceiptValidator,
  type ReceiptVerification,
  trustedFromReceipt,
  type VerifyReceiptInput,
} from '@gongxin/ledger';
export type {
  AccountJson,
  BlockJson,
  BlockSummaryJson,
  ChainInfoJson,
  CommittedTxJson,
  EventJson,
  EventProofJson,
  NodeRouter,
  Page,
  ProofJson,
  StateEntryJson,
  SubmitResultJson,
  TxJson,
  TxProofJson,
  TxSummaryJson,
  ValidatorSetJson,
} from '@gongxin/node/api';
export {
  type ChainClient,
  type ChainClientOptions,
  type ChainIdentity,
  checkedGenesis,
  createChainClient,
  type EventFilter,
  type Subscription,
  type VerifiedEvent,
  type VerifiedTx,
  type VerifyOptions,
} from './client';
export { trustedFromJson } from './convert';
export { ChainError, type ChainErrorDetails, toChainError } from './errors';
export { type FetchEventSourceConstructor, fetchEventSource } from './event-source';
export { NonceBook } from './nonces';
export { receiptFromProof, verifyReceipt } from './receipt';
export {
  type Account,
  accountFromPrivateKey,
  accountSigner,
  buildTx,
  createWallet,
  generateAccount,
  type SendOptions,
  type SendTxOptions,
  sendTx,
  type TxDraft,
  type TxSigner,
  Wallet,
} from './wallet';
