// Public API of @gongxin/mqtt: broker selection (embedded aedes or external), mqtt.js client
// helpers and topic matching. Nothing outside this file's exports is a stable interface.

export {
  type ConnectMqttOptions,
  closedSubscribeCount,
  connectMqtt,
  guardClosedSubscribes,
  MalformedPayloadError,
  type MessageHandler,
  type MqttConnection,
  type MqttErrorKind,
  MqttUnavailableError,
  type PublishOptions,
  type QoS,
  redactUrl,
  removeSession,
  type SubscriptionSpec,
} from './client';
export {
  type EmbeddedBroker,
  type EmbeddedBrokerOptions,
  isEmbeddedBroker,
  startEmbeddedBroker,
} from './embedded-broker';
export {
  type BadInputCounter,
  DEFAULT_INTERVAL_MS,
  DEFAULT_SHARDS,
  type DecodedReading,
  type IngestDecoder,
  type IngestMessage,
  type IngestMode,
  type IngestOptions,
  type IngestRecord,
  type IngestRejected,
  IngestRejection,
  type IngestReply,
  type IngestStats,
  type IngestStore,
  IngestStoreDataError,
  type IngestWorker,
  intervalOf,
  probeSharedSubscriptions,
  startIngest,
} from './ingest/pipeline';
export {
  allShardsFilter,
  fnv1a32,
  parseShardTopic,
  shardFilter,
  shardOf,
  shardsOfWorker,
  shardTopic,
} from './ingest/shards';
export type { LoggerLike } from './logger';
export { type ResolvedBroker, resolveBroker } from './resolve-broker';
export { parseSharedFilter, type SharedFilter, topicMatches } from './topic';
