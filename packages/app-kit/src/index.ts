// @gongxin/app-kit: the server half of every suite app — tRPC with guards, OIDC sessions with passport,
// security middleware, static web serving, indexers that build read models from chain events, and the
// outbox that anchors an app's records on chain.
export {
  CHAIN_HEIGHT_HEADER,
  CHAIN_INDEXED_HEADER,
  defineApp,
  type MountedApp,
  type MountOptions,
  mountApp,
} from './app';
export {
  AppError,
  appError,
  type ErrorReason,
  type FieldIssue,
  fieldIssues,
  type ReasonParams,
} from './app-error';
export { type Auth, type AuthOptions, createAuth } from './auth/auth';
export {
  deriveClientSecret,
  IssuerUnavailableError,
  type SuiteClient,
  suiteClientFor,
} from './auth/oidc';
export { ClockError, clockOf, createDeploymentClock, type DeploymentClock } from './clock';
export { appkitMigrations } from './db/migrations';
export {
  type ChainEventJson,
  type ChainFeed,
  type ClientFeedOptions,
  clientFeed,
  type FeedBlock,
  type FeedOptions,
  type FeedStats,
  type FeedTx,
  nodeFeed,
} from './indexer/feed';
export {
  type BlockContext,
  type BlockHandler,
  createIndexer,
  type EventHandler,
  type EventHandlers,
  type GenesisHandler,
  type GenesisHandlerContext,
  type HandlerContext,
  type Indexer,
  IndexerChainMismatchError,
  type IndexerDefinition,
  type IndexerFailure,
  type IndexerOptions,
  type IndexerStatus,
  IndexerVersionError,
} from './indexer/indexer';
export {
  claimIngestMember,
  type DeviceIngest,
  type DeviceIngestDefinition,
  type DeviceIngestServices,
  MAX_INGEST_MEMBERS,
  startDeviceIngest,
} from './ingest/device-ingest';
export {
  type ClosePassResult,
  IntervalCloser,
  type IntervalCloserOptions,
  type IntervalOutbox,
  type IntervalRoot,
  startIntervalCloser,
} from './ingest/intervals';
export {
  type PendingReading,
  PendingReadings,
  type PendingReadingsOptions,
} from './ingest/pending';
export { ingestMigrations, PgIngestStore, type PgIngestStoreOptions } from './ingest/store';
export {
  advisoryLockId,
  createLeadership,
  type LeaderHandle,
  type LeaderJob,
  type LeaderRole,
  type Leadership,
  type LeadershipOptions,
  reportLeadership,
  singleProcessLeadership,
} from './leader';
export {
  type AnySuiteApp,
  defineSuiteApp,
  type GenesisContext,
  type GenesisContribution,
  mergeGenesis,
  type SuiteApp,
  type SuiteAppDefinition,
  suiteAppInfo,
  suiteGenesis,
} from './module';
export { type AccountNamesOptions, accountNamer, type NamedAccount, type StateKeysReader } from './names';
export { type IntervalAnchorOptions, intervalOutbox } from './outbox/intervals';
export {
  type AnchorResult,
  createOutbox,
  Outbox,
  type OutboxOptions,
  type OutboxRecord,
  type SettledRecord,
} from './outbox/outbox';
export {
  CLAIMS,
  formatRole,
  hasRole,
  parseRole,
  parseRoles,
  type Role,
  type RoleInWords,
  roleInWords,
  type SessionUser,
  SUITE_SCOPES,
} from './roles';
export { errorHandler, rateLimiter, requestStateOf, sendError } from './security';
export type {
  AppDefinition,
  AppManifest,
  AppServices,
  Audience,
  ChainAccess,
  LocalizedText,
  RateLimitSetting,
  RateLimits,
  RoleDefinition,
  SuiteAppInfo,
  SuiteInfo,
} from './services';
export {
  runStandalone,
  type StandaloneApp,
  StandaloneConfigError,
  type StandaloneOptions,
} from './standalone';
export { type AppContext, INTERNAL_MESSAGE, initAppTRPC } from './trpc';
