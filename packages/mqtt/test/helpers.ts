// Shared fixtures for the MQTT tests: the brokers to run against and small polling utilities.
// Tests must never depend on state another run left on a shared broker, hence the unique names.

import { randomBytes } from 'node:crypto';
import { redactUrl } from '../src/client';
import { startEmbeddedBroker } from '../src/embedded-broker';
import type { LoggerLike } from '../src/logger';

export interface BrokerCase {
  name: string;
  start(): Promise<{ url: string; close(): Promise<void> }>;
}

/** The embedded broker always; the real broker at TEST_MQTT_URL too when that is set. */
export function brokerCases(): BrokerCase[] {
  const cases: BrokerCase[] = [{ name: 'embedded', start: () => startEmbeddedBroker() }];
  const real = process.env['TEST_MQTT_URL'];
  if (real)
    cases.push({
      name: `real ${redactUrl(real)}`,
      start: async () => ({ url: real, close: async () => {} }),
    });
  return cases;
}

/** Short and unique: aedes' stock limit and some brokers cap client ids at 23 characters. */
export function uniqueId(label: string): string {
  return `gx${label}-${randomBytes(5).toString('hex')}`;
}

export function uniquePrefix(): string {
  return `gongxin-test/${randomBytes(8).toString('hex')}`;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface LogEntry {
  level: keyof LoggerLike;
  obj: object;
  msg: string | undefined;
}

export function captureLogger(): LoggerLike & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: keyof LoggerLike) =>
    (obj: object, msg?: string): void => {
      entries.push({ level, obj, msg });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
