// Every setting of the suite, read from the environment and validated in one place.
// A bad value must stop start-up with a message naming the variable, what was given and what was
// expected: a typo in PORT or DATABASE_URL should never surface later as a confusing runtime error.
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function urlWithScheme(schemes: readonly string[], example: string) {
  return z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return schemes.includes(url.protocol.replace(/:$/, '')) && url.hostname !== '';
        } catch {
          return false;
        }
      },
      { message: `expected a URL like ${example} (scheme ${schemes.join(', ')})` },
    );
}

const port = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, { message: 'expected an integer port number between 0 and 65535' })
  .transform(Number)
  .refine((n) => n <= 65535, { message: 'expected an integer port number between 0 and 65535' });

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), {
    message: 'expected true or false',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** The environment variables the suite understands, with their defaults. */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  /** The address people reach the suite at (used in links and QR codes); defaults to http://HOST:PORT. */
  PUBLIC_URL: urlWithScheme(['http', 'https'], 'https://gongxin.example.cn').optional(),
  /** Unset: embedded PGlite under DATA_DIR. Set: real PostgreSQL. */
  DATABASE_URL: urlWithScheme(
    ['postgres', 'postgresql'],
    'postgres://user:password@127.0.0.1:5432/gongxin',
  ).optional(),
  /** Unset: an embedded MQTT broker on a free port. Set: a real broker (Mosquitto, EMQX…). */
  MQTT_URL: urlWithScheme(['mqtt', 'mqtts', 'tcp', 'ws', 'wss'], 'mqtt://127.0.0.1:1883').optional(),
  /**
   * Unset: one validator in this process (the embedded default). Set: follow the chain served by this node
   * API (a validator or full node) instead, e.g. for app replicas behind a load balancer.
   */
  CHAIN_URL: urlWithScheme(['http', 'https'], 'http://10.0.0.5:26657').optional(),
  /**
   * The node APIs the members' console watches (height, peers, round, mempool, commit latency, disk from
   * each one's /metrics): comma-separated `name=url` or bare URLs. Unset: the suite's own chain.
   */
  CHAIN_NODES: z
    .string()
    .trim()
    .refine(
      (v) =>
        v.split(',').every((entry) => {
          const url = entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry;
          return /^https?:\/\/\S+$/.test(url.trim());
        }),
      { message: 'expected comma-separated node API URLs, each http(s)://… or name=http(s)://…' },
    )
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  /** `pretty`: one readable line per entry; `json`: JSON lines for a collector. Unset: pretty on a terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** The secret passport and the apps derive their OIDC client credentials from (≥ 32 characters). */
  SUITE_SECRET: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
  /** Passport's own secret (ID-number encryption, OIDC cookie and key sealing); generated under DATA_DIR when unset. */
  PASSPORT_SECRET: z
    .string()
    .min(32, { message: 'expected at least 32 characters (hex or base64 of 32 bytes)' })
    .optional(),
  /** Seed demo identities and records on an empty chain, and show demo credentials on the portal. */
  DEMO: flag.optional(),
  /**
   * The deployment clock: unset, the wall clock. Set (an ISO 8601 instant), the suite's clock starts there
   * and runs at the wall clock's pace: the chain's block times, metering intervals and market slots follow
   * it (a staging deployment rehearsing a month end, a test running a market day).
   */
  CLOCK_START: z
    .string()
    .trim()
    .refine((v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && Number.isFinite(Date.parse(v)), {
      message: 'expected an ISO 8601 instant, e.g. 2026-06-30T11:40:00+08:00',
    })
    .optional(),
  /**
   * Let `POST /clock` move the deployment clock forward (never back), for rehearsals and tests; refused
   * with NODE_ENV=production.
   */
  CLOCK_CONTROL: flag.optional(),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  nodeEnv: Environment['NODE_ENV'];
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  mqttUrl: string | undefined;
  /** Unset: an embedded validator; set: the node API of the chain to follow. */
  chainUrl: string | undefined;
  /** The nodes the console watches; empty: the suite's own chain. */
  chainNodes: { name: string; url: string }[];
  dataDir: string;
  logLevel: Environment['LOG_LEVEL'];
  /** Undefined: decided by the output (pretty when it is a terminal, JSON otherwise). */
  logFormat: Environment['LOG_FORMAT'];
  demo: boolean;
  suiteSecret: string | undefined;
  /** Where the deployment clock starts (ms since the epoch); undefined: the wall clock. */
  clockStart?: number;
  /** Whether `POST /clock` may move the deployment clock forward. */
  clockControl?: boolean;
}

/** A configuration problem: one line per offending variable, ready to print and exit. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; given: string | undefined; expected: string }[]) {
    super(
      `Invalid configuration:\n${problems
        .map(
          (p) =>
            `  ${p.variable}=${p.given === undefined ? '(unset)' : JSON.stringify(p.given)}: ${p.expected}`,
        )
        .join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** `name=url,url2` → named nodes (a bare URL is named by its host and port). */
export function parseChainNodes(value: string | undefined): { name: string; url: string }[] {
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf('=');
      const url = (at >= 0 ? entry.slice(at + 1) : entry).trim().replace(/\/+$/, '');
      return { name: at >= 0 ? entry.slice(0, at).trim() : new URL(url).host, url };
    });
}

/** Hide the password of a URL before it goes into a message or a log. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

const secretVariables = new Set(['DATABASE_URL', 'MQTT_URL', 'SUITE_SECRET', 'PASSPORT_SECRET']);

/**
 * Parse the settings from an environment (process.env by default). Empty strings count as unset so that
 * `PORT= npm start` behaves like not setting PORT at all.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(environmentSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') relevant[key] = value;
  }
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '(environment)');
        const given = relevant[variable];
        return {
          variable,
          given:
            given === undefined || !secretVariables.has(variable)
              ? given
              : variable.endsWith('_SECRET')
                ? '(hidden)'
                : redactUrl(given),
          expected: issue.message,
        };
      }),
    );
  }
  const e = parsed.data;
  if (e.CLOCK_CONTROL && e.NODE_ENV === 'production')
    throw new ConfigError([
      {
        variable: 'CLOCK_CONTROL',
        given: relevant.CLOCK_CONTROL,
        expected: 'unset or false with NODE_ENV=production (a production clock is not moved by hand)',
      },
    ]);
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(
      /\/$/,
      '',
    ),
    databaseUrl: e.DATABASE_URL,
    mqttUrl: e.MQTT_URL,
    chainUrl: e.CHAIN_URL,
    chainNodes: parseChainNodes(e.CHAIN_NODES),
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    demo: e.DEMO ?? e.NODE_ENV !== 'production',
    suiteSecret: e.SUITE_SECRET,
    clockStart: e.CLOCK_START === undefined ? undefined : Date.parse(e.CLOCK_START),
    clockControl: e.CLOCK_CONTROL ?? false,
  };
}
