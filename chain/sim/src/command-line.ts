// The simulators' command lines (`npm run sim`, `npm run sim:channels`), read the same way: node:util's
// parseArgs, strict (no unknown option, no stray argument, a value exactly where an option takes one),
// whole numbers and choices checked, `--help` / `-h` for the usage. A refused command line exits with 2
// after its reason and the usage, `--help` prints the usage and exits with 0.
import { availableParallelism } from 'node:os';
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A command line the command refuses; the message says why, in terms of its options. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `--help` (or `-h`) was given: print the usage instead of running. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}

type Options = NonNullable<ParseArgsConfig['options']>;
/** What parseArgs gives for these options, strictly read. */
type Values<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>
>['values'];

const help = { help: { type: 'boolean', short: 'h' } } as const;

/** What parseArgs says, in the words of the rest of the command's messages. */
function usageErrorOf(e: unknown): UsageError {
  const code = (e as { code?: string }).code;
  const message = (e as Error).message ?? String(e);
  const named = /'([^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named) return new UsageError(`unknown option ${named}`);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && named)
    return new UsageError(`unexpected argument ${named}: every value follows its option`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named && /argument missing/.test(message))
    return new UsageError(`${named} needs a value`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named && /ambiguous/.test(message))
    return new UsageError(`${named} needs a value (one that starts with a dash is written ${named}=-…)`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named && /does not take/.test(message))
    return new UsageError(`${named} takes no value`);
  return new UsageError(message);
}

/**
 * The options of `argv`, as parseArgs reads them against `options` (strict, no positionals), plus
 * `--help` / `-h`. Throws `HelpRequested` for `--help` and `UsageError` for anything it refuses.
 */
export function readOptions<const O extends Options>(argv: readonly string[], options: O): Values<O> {
  let values: { help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { ...options, ...help },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw usageErrorOf(e);
  }
  if (values.help) throw new HelpRequested();
  return values as Values<O>;
}

/** The options both simulators have: which seeds to run, one seed to replay, and over how many processes. */
export interface SeedOptions {
  /** How many seeds to run (default 100). */
  seeds: number;
  /** The first of them (default 0). */
  from: number;
  /** One seed to replay instead (default none). */
  seed: number | null;
  /** With `seed`: print every trace line. */
  verbose: boolean;
  /** Processes to spread seeds over (default: the number of CPUs). */
  workers: number;
}

/** parseArgs' description of the seed options, to spread into a simulator's own. */
export const SEED_OPTIONS = {
  seeds: { type: 'string' },
  from: { type: 'string' },
  seed: { type: 'string' },
  verbose: { type: 'boolean' },
  workers: { type: 'string' },
} as const;

/** The seed options of what `readOptions` read, with their defaults; refuses a bad number. */
export function seedOptions(v: Values<typeof SEED_OPTIONS>): SeedOptions {
  return {
    seeds: wholeNumber('--seeds', v.seeds, 100, 1),
    from: wholeNumber('--from', v.from, 0),
    seed: v.seed === undefined ? null : wholeNumber('--seed', v.seed, 0),
    verbose: v.verbose ?? false,
    workers: wholeNumber('--workers', v.workers, Math.max(1, availableParallelism()), 1),
  };
}

/** A whole-number option's value: `fallback` when it was not given, refused below `min` or not a number. */
export function wholeNumber(option: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${option} needs a whole number ≥ ${min}, not "${value}"`);
  return n;
}

/** A choice option's value: `fallback` when it was not given, refused when not one of `choices`. */
export function oneOf<const C extends string>(
  option: string,
  value: string | undefined,
  choices: readonly C[],
  fallback: C,
): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`${option} is one of ${choices.join(', ')}, not "${value}"`);
  return value as C;
}

/** A simulator's command: its name and usage, how it reads its options, and what it runs with them. */
export interface Command<O> {
  name: string;
  usage: string;
  parse: (argv: string[]) => O;
  /** The command itself; its result is the exit code. */
  main: (options: O) => Promise<number>;
  /** A worker process (the command starts them with `--worker` and the options they need): serves jobs. */
  worker: (options: O) => void;
}

/**
 * Runs `command` on this process's arguments: as a worker when they hold `--worker`, which then keeps
 * the process running; otherwise `main`, whose result becomes the exit code. For a refused command line,
 * the reason and the usage on stderr and exit code 2; for `--help`, the usage on stdout and 0; for anything
 * else thrown, the error on stderr and 1.
 */
export function runCommand<O>(command: Command<O>): void {
  const argv = process.argv.slice(2);
  const run = async (): Promise<number | null> => {
    const options = command.parse(argv.filter((a) => a !== '--worker'));
    if (!argv.includes('--worker')) return command.main(options);
    command.worker(options);
    return null;
  };
  run().then(
    (code) => {
      if (code !== null) process.exitCode = code;
    },
    (error) => {
      if (error instanceof HelpRequested) {
        console.log(command.usage);
        process.exitCode = 0;
      } else if (error instanceof UsageError) {
        console.error(`${command.name}: ${error.message}\n${command.usage}`);
        process.exitCode = 2;
      } else {
        console.error(error);
        process.exitCode = 1;
      }
    },
  );
}
