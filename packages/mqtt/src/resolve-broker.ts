// Chooses the broker for the suite: the configured MQTT_URL, or an embedded in-process broker when
// none is set. It must never start an embedded broker when a URL is configured.

import { redactUrl } from './client';
import { type EmbeddedBroker, startEmbeddedBroker } from './embedded-broker';
import { defaultLogger, type LoggerLike } from './logger';

export interface ResolvedBroker {
  url: string;
  /** The in-process broker, or null when an external broker is used. */
  embedded: EmbeddedBroker | null;
  /** Stops the embedded broker if there is one; a no-op for an external broker. */
  close(): Promise<void>;
}

export async function resolveBroker(opts: {
  mqttUrl?: string;
  logger?: LoggerLike;
}): Promise<ResolvedBroker> {
  const logger = opts.logger ?? defaultLogger;
  // An empty MQTT_URL= in an env file means "unset", not "connect to nothing".
  const url = opts.mqttUrl?.trim();
  if (url) {
    logger.info({ url: redactUrl(url) }, 'Using external MQTT broker');
    return { url, embedded: null, close: async () => {} };
  }
  const embedded = await startEmbeddedBroker({ logger });
  logger.info(
    { url: embedded.url },
    'Started embedded MQTT broker (in memory: sessions and queued messages are lost on restart)',
  );
  return { url: embedded.url, embedded, close: () => embedded.close() };
}
