// Structured JSON logs for every process of the suite. One logger per process, children per component,
// so a line can always be traced to the service and request that wrote it.
import { type LevelWithSilent, type Logger, pino } from 'pino';
import { prettyStream } from './pretty';

export type { Logger } from 'pino';

export function createLogger(opts: {
  name: string;
  level?: LevelWithSilent;
  destination?: NodeJS.WritableStream;
  /** `pretty` for a person, `json` for a collector; unset: pretty when the output is a terminal. */
  format?: 'json' | 'pretty';
}): Logger {
  const out = opts.destination ?? process.stdout;
  const tty = (out as { isTTY?: boolean }).isTTY === true;
  const format = opts.format ?? (tty ? 'pretty' : 'json');
  return pino(
    {
      name: opts.name,
      level: opts.level ?? 'info',
      // Never let a secret reach the log: these paths are the usual carriers.
      redact: {
        paths: [
          'password',
          '*.password',
          'req.headers.authorization',
          'req.headers.cookie',
          'privateKey',
          '*.privateKey',
        ],
        censor: '[redacted]',
      },
      serializers: { err: pino.stdSerializers.err },
    },
    format === 'pretty' ? prettyStream(out, { color: tty }) : out,
  );
}
