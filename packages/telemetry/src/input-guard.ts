// Text that PostgreSQL (and many libraries) cannot take: a NUL character, which no `text` value may hold,
// and a lone UTF-16 surrogate, which has no UTF-8 form. Left unchecked, such a string in a path, query or
// JSON body reaches a query and fails there as a 500. Refused at the door instead, for every route of
// every server that mounts this guard first, with a 400 naming where the bad text was.
import express, { type Request, type RequestHandler } from 'express';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the NUL is the point.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Nesting deeper than this is refused outright: no caller needs it and walking it costs stack. */
export const MAX_INPUT_DEPTH = 64;

/** What is wrong with a string, or undefined when PostgreSQL can store it. */
export function unstorableText(text: string): string | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000' ? 'contains a NUL character' : 'contains a lone UTF-16 surrogate';
}

/**
 * The first place in `value` (strings, keys, arrays and objects, walked to `MAX_INPUT_DEPTH`) holding text
 * PostgreSQL cannot store, as `{ where, problem }`; undefined when there is none.
 */
export function findUnstorableText(
  value: unknown,
  where: string,
  depth = 0,
): { where: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    return problem ? { where, problem } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_INPUT_DEPTH) return { where, problem: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${where}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = unstorableText(key);
    if (keyProblem) return { where: `${where} (a key)`, problem: keyProblem };
    const found = findUnstorableText(item, `${where}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

// A query value that is JSON (tRPC's `input=` of a GET) carries text as escapes: `\u0000` is harmless in
// the raw string but becomes a NUL once parsed.
function parsedJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface InputGuardOptions {
  /**
   * Called once per refused request, to count it: `reason` is `bad_input` for unstorable text, or for a
   * JSON body parsed here `malformed`, `too_large` or `invalid_input` (e.g. an unsupported charset).
   */
  onRefused(reason: string): void;
  /**
   * Parse JSON bodies here (up to `limit`), so their text is checked before any route sees it. Later
   * parsers and tRPC take the parsed `req.body`. Leave unset where routes parse bodies their own way.
   */
  json?: {
    limit: number | string;
    /**
     * The requests tRPC answers. tRPC takes a string `req.body` as the body's JSON text and parses it
     * again, so a body that is a JSON string is handed on as that JSON text, to be read as the string it
     * is. A body that cannot be read is not answered here but left for tRPC to refuse in its own error
     * shape: see `unreadableBody`.
     */
    trpc?: (req: Request) => boolean;
    /**
     * Leave a body that cannot be read to be refused by the route it was sent to, so that the request is
     * counted under that route: each route must then run `refuseUnreadableBody` first, and whatever
     * answers requests no route takes must too. Unset, such a body is refused here.
     */
    refuseAtRoute?: boolean;
  };
}

/**
 * Why a request's JSON body could not be read: the HTTP status, a code (the `reason` it was counted under),
 * a message naming the body, and the tRPC error code that says the same.
 */
export class UnreadableBody extends Error {
  constructor(
    readonly status: number,
    readonly code: 'malformed' | 'too_large' | 'invalid_input',
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableBody';
  }

  get trpcCode(): 'PARSE_ERROR' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'BAD_REQUEST' {
    if (this.code === 'malformed') return 'PARSE_ERROR';
    if (this.code === 'too_large') return 'PAYLOAD_TOO_LARGE';
    return this.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
  }
}

const UNREADABLE = Symbol.for('gongxin.unreadableBody');

/**
 * The reason a request's JSON body could not be read, when `inputGuard` left it to a later handler
 * (tRPC, or the route): already counted as refused, still to be answered. A host hands it to tRPC as the
 * error of every call, through the adapter's `middleware` option: `next(new TRPCError({ code: u.trpcCode,
 * message: u.message, cause: u }))`, and leaves it uncounted in `onError` (its cause is an `UnreadableBody`).
 */
export function unreadableBody(req: Request): UnreadableBody | undefined {
  return (req as unknown as Record<symbol, UnreadableBody | undefined>)[UNREADABLE];
}

/**
 * Express middleware, run first on each route when `inputGuard` has `json.refuseAtRoute`: answers a body
 * that could not be read with `{ error: { code, message } }` and its status, the shape of every REST error.
 */
export const refuseUnreadableBody: RequestHandler = (req, res, next) => {
  const unreadable = unreadableBody(req);
  if (!unreadable) return next();
  res.status(unreadable.status).json({ error: { code: unreadable.code, message: unreadable.message } });
};

function unreadableFrom(err: unknown): UnreadableBody {
  const e = err as { status?: unknown; type?: unknown; message?: unknown };
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
  const code =
    e.type === 'entity.too.large'
      ? 'too_large'
      : e.type === 'entity.parse.failed'
        ? 'malformed'
        : 'invalid_input';
  return new UnreadableBody(status, code, `body: ${String(e.message ?? 'unreadable')}`);
}

/**
 * Express middleware, mounted before every route: 400 `{ error: { code: 'bad_input', message } }` when the
 * path, a query parameter (or the JSON in it) or a JSON body holds a NUL or a lone surrogate.
 */
export function inputGuard(opts: InputGuardOptions): RequestHandler {
  const parseJson = opts.json ? express.json({ limit: opts.json.limit, strict: false }) : undefined;
  const refuse = (res: express.Response, where: string, problem: string) => {
    opts.onRefused('bad_input');
    res.status(400).json({ error: { code: 'bad_input', message: `${where}: ${problem}` } });
  };
  const check: RequestHandler = (req, res, next) => {
    for (const segment of req.path.split('/')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return refuse(res, 'path', 'is not valid percent-encoded UTF-8');
      }
      const problem = unstorableText(decoded);
      if (problem) return refuse(res, 'path', problem);
    }
    const query = req.query as Record<string, unknown>;
    for (const [key, value] of Object.entries(query)) {
      const keyProblem = unstorableText(key);
      if (keyProblem) return refuse(res, 'query (a parameter name)', keyProblem);
      const found =
        findUnstorableText(value, `query.${key}`) ??
        (typeof value === 'string' ? findUnstorableText(parsedJson(value), `query.${key}`) : undefined);
      if (found) return refuse(res, found.where, found.problem);
    }
    if (req.body !== undefined) {
      const found = findUnstorableText(req.body, 'body');
      if (found) return refuse(res, found.where, found.problem);
    }
    next();
  };
  if (!parseJson) return check;
  const forTrpc = opts.json?.trpc;
  const atRoute = opts.json?.refuseAtRoute === true;
  return (req, res, next) => {
    parseJson(req, res, (err?: unknown) => {
      if (!err) {
        return check(req, res, () => {
          // Parsed once, here: a JSON string stays the string it is (tRPC would parse a string again).
          if (typeof req.body === 'string' && forTrpc?.(req)) req.body = JSON.stringify(req.body);
          next();
        });
      }
      const unreadable = unreadableFrom(err);
      opts.onRefused(unreadable.code);
      if (forTrpc?.(req) || atRoute) {
        (req as unknown as Record<symbol, UnreadableBody>)[UNREADABLE] = unreadable;
        req.body = undefined;
        return check(req, res, next);
      }
      // A body that cannot be parsed is answered here, as JSON, whatever error handler the host has.
      res.status(unreadable.status).json({ error: { code: unreadable.code, message: unreadable.message } });
    });
  };
}
