// Public API of @gongxin/mqtt: broker selection (embedded aedes or external), mqtt.js client
// helpers and topic matching. Nothing outside this file's exports is a stable interface.

export {
  type ConnectMqttOptions,
  connectMqtt,
  MalformedPayloadError,
  type MessageHandler,
  type MqttConnection,
  type MqttErrorKind,
  MqttUnavailableError,
  type PublishOptions,
  type QoS,
  redactUrl,
  type SubscriptionSpec,
} from './client';
export { type EmbeddedBroker, type EmbeddedBrokerOptions, startEmbeddedBroker } from './embedded-broker';
export type { LoggerLike } from './logger';
export { type ResolvedBroker, resolveBroker } from './resolve-broker';
export { parseSharedFilter, type SharedFilter, topicMatches } from './topic';
