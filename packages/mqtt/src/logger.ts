// Minimal logger contract so callers can pass pino (or anything shaped like it) without this
// package depending on a logging library. Never import pino here.

export interface LoggerLike {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};

// Without a logger, failures still reach stderr: a handler that throws must never vanish silently.
export const defaultLogger: LoggerLike = {
  debug: noop,
  info: noop,
  warn: (obj, msg) => console.warn(msg ?? '', obj),
  error: (obj, msg) => console.error(msg ?? '', obj),
};
