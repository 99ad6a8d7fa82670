// Text that PostgreSQL (and many libraries) cannot take: a NUL character, which no `text` value may hold,
// and a lone UTF-16 surrogate, which has no UTF-8 form. Left unchecked, such a string in a path, query or
// JSON body reaches a query and fails there as a 500. Refused at the door instead, for every route of
// every server that mounts this guard first, with a 400 naming where the bad text was.
import express, { type RequestHandler } from 'express';

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
  json?: { limit: number | string };
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
  // A body that cannot be parsed is answered here, as JSON, whatever error handler the host has.
  return (req, res, next) => {
    parseJson(req, res, (err?: unknown) => {
      if (!err) return check(req, res, next);
      const e = err as { status?: unknown; type?: unknown; message?: unknown };
      const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
      const code =
        e.type === 'entity.too.large'
          ? 'too_large'
          : e.type === 'entity.parse.failed'
            ? 'malformed'
            : 'invalid_input';
      opts.onRefused(code);
      res.status(status).json({ error: { code, message: `body: ${String(e.message ?? 'unreadable')}` } });
    });
  };
}
