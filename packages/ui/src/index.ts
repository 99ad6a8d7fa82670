// The suite's shared Vue kit: layout, language, styles, the keyring and sign dialog, sessions, tRPC,
// in-browser verification of chain records, and the components that show chain values. Apps import from
// here, never from each other.

// The chain's wire types and its one error type are @gongxin/client's, re-exported for the apps.
export {
  type AccountJson,
  type ChainClient,
  ChainError,
  type ChainInfoJson,
  type CommittedTxJson,
  type EventJson,
  type ProofJson,
  trustedFromJson,
} from '@gongxin/client';
export { APP_ID_KEY, appIdPlugin, useAppId } from './app-id';
export { AuthError, type AuthStore, type SessionRole, type SessionUser, useAuth } from './auth/store';
export { type AppTab, useRoleTabs } from './auth/tabs';
export { assetDecimals, createUiChainClient } from './chain/client';
export { ClockUnavailableError, clockRead, deploymentNow, serverNow, syncClock } from './clock';
export { default as AddressText } from './components/address-text.vue';
export { default as AmountText } from './components/amount-text.vue';
export { default as AppTabs } from './components/app-tabs.vue';
export { default as BlockLink } from './components/block-link.vue';
export { default as ErrorAlert } from './components/error-alert.vue';
export { default as LanguageSwitch } from './components/language-switch.vue';
export { default as QrCode } from './components/qr-code.vue';
export { default as RecordText } from './components/record-text.vue';
export { default as RequireLogin } from './components/require-login.vue';
export { default as RequireRole } from './components/require-role.vue';
export { default as SignRequestDialog } from './components/sign-request-dialog.vue';
export { default as SuiteLayout } from './components/suite-layout.vue';
export { default as TimeText } from './components/time-text.vue';
export { default as TxLink } from './components/tx-link.vue';
export { default as VerifyRecord } from './components/verify-record.vue';
export { type CopyState, useCopy } from './composables/use-copy';
export { configureUi, type UiConfig, uiConfig } from './config';
export { channelOfRef } from './decoders/core-events';
export {
  type ProposalWordsOptions,
  proposalChange,
  proposalKind,
  scopesInWords,
  suiteAppName,
} from './decoders/governance';
export {
  type DecoderPack,
  failedPacks,
  installDecoderPack,
  loadDecoderPacks,
  type MessageTarget,
} from './decoders/packs';
export {
  type ActionDecoder,
  type ActionParams,
  createDecodeContext,
  type DecodeContext,
  type DescribedAction,
  type DescribedEvent,
  decoderVersion,
  describeAction,
  describeEvent,
  type EventAttrs,
  type EventDecoder,
  registerActionDecoder,
  registerEventDecoder,
  type Translate,
} from './decoders/registry';
export { markOverflow, revealCurrent, vScrollTabs } from './directives/scroll-tabs';
export { type ErrorMessageOptions, errorDetail, errorMessage } from './errors';
export { explorerLinks, shortenMiddle, splitLongValues, type TextPart } from './explorer';
export {
  AmountError,
  type AmountErrorCode,
  type FormatAmountOptions,
  formatAmount,
  MAX_AMOUNT,
  parseAmount,
} from './format/amount';
export { formatTime, relativeTime } from './format/time';
export { createSuiteI18n, initialLocale, rememberLocale, type SuiteLocale, supportedLocales } from './i18n';
export {
  KEYRING_STORAGE_KEY,
  type KeyringAccount,
  type KeyringStore,
  type SignedChallenge,
  type SignOptions,
  type SignRequest,
  useKeyring,
} from './keyring/store';
export {
  backupFileName,
  DEFAULT_KDF,
  type KdfCost,
  KeyringError,
  type KeyringErrorCode,
  MIN_PASSWORD_LENGTH,
  openVault,
  parseVault,
  type ScryptParams,
  sealVault,
  type Vault,
} from './keyring/vault';
export { type AppSigner, type AppSignOptions, MAX_ACTIONS_PER_TX, useAppSigner } from './signer';
export { createSuiteWeb, type SuiteWebOptions } from './suite-web';
export { createAppTrpc } from './trpc';
export {
  type BrowserVerification,
  type BrowserVerificationStep,
  type VerifyFailureCode,
  type VerifyRecordOptions,
  verifyRecordInBrowser,
} from './verify/verify';
