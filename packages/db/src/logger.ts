// The logging surface @gongxin/db needs, as a structural type so any pino logger (or a test spy) fits.
// Must never import pino: the database layer stays free of the telemetry stack.

/** One log method in pino's `(mergingObject, message)` form. */
export type LogFn = (obj: Record<string, unknown>, msg?: string) => void;

/** A pino `Logger` (or child) satisfies this without adapters. */
export interface LoggerLike {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};

/** Used when the caller passes no logger: the database layer is silent by default. */
export const silentLogger: LoggerLike = { debug: noop, info: noop, warn: noop, error: noop };
