// `npm start`: the whole suite in one process. Start-up problems (a bad setting, a database or broker that
// cannot be reached, a port in use) end the process with one clear line instead of a stack trace.
import { loadConfig } from '@gongxin/config';
import { createLogger } from '@gongxin/telemetry';
import { startSuite } from './suite';

const expectedStartupErrors = new Set([
  'ChainUnavailableError',
  'ConfigError',
  'DatabaseUnavailableError',
  'MqttUnavailableError',
  'PortInUseError',
]);

function fail(error: unknown): never {
  const known = error instanceof Error && expectedStartupErrors.has(error.name);
  process.stderr.write(
    `\nGongxin could not start.\n${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n\n`,
  );
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  fail(error);
}

const logger = createLogger({ name: 'gongxin', level: config.logLevel, format: config.logFormat });
const suite = await startSuite(config, logger).catch(fail);
process.stdout.write(`\n  共信 Gongxin is running at ${suite.url}\n\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await suite.close();
    process.exit(0);
  });
}
