// A readable form of the JSON log lines for a person at a terminal: time, level, component, message and
// the remaining fields as key=value, an error's stack below it. Collectors keep getting JSON lines
// (LOG_FORMAT=json, the default when the output is not a terminal).
import { Writable } from 'node:stream';

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '\x1b[90m' },
  20: { name: 'DEBUG', color: '\x1b[36m' },
  30: { name: 'INFO ', color: '\x1b[32m' },
  40: { name: 'WARN ', color: '\x1b[33m' },
  50: { name: 'ERROR', color: '\x1b[31m' },
  60: { name: 'FATAL', color: '\x1b[35m' },
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Fields shown elsewhere on the line, or noise at a terminal. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v', 'name', 'component', 'app', 'err']);

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

function clock(time: unknown): string {
  const date = new Date(typeof time === 'number' ? time : Date.now());
  return date.toISOString().slice(11, 23);
}

/** One JSON log line as readable text; a line that is not a JSON object comes back as it was. */
export function prettyLine(line: string, opts: { color?: boolean } = {}): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    entry = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const paint = (code: string, text: string) => (opts.color ? `${code}${text}${RESET}` : text);
  const level = LEVELS[entry.level as number] ?? { name: String(entry.level ?? '').padEnd(5), color: '' };
  const where = [entry.component, entry.app].filter((x) => typeof x === 'string' && x !== '').join('/');
  const fields = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, v]) => `${key}=${value(v)}`)
    .join(' ');
  let text = [
    paint(DIM, clock(entry.time)),
    paint(level.color, level.name),
    where ? paint(DIM, `[${where}]`) : '',
    typeof entry.msg === 'string' ? entry.msg : '',
    fields ? paint(DIM, fields) : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
  const err = entry.err as { stack?: unknown; message?: unknown } | undefined;
  if (err && typeof err === 'object') {
    const detail = typeof err.stack === 'string' ? err.stack : String(err.message ?? JSON.stringify(err));
    text += `\n    ${detail.replace(/\n/g, '\n    ')}`;
  }
  return text;
}

/** A stream for pino's output that writes each JSON line to `target` as readable text. */
export function prettyStream(target: NodeJS.WritableStream, opts: { color?: boolean } = {}): Writable {
  let pending = '';
  return new Writable({
    write(chunk, _encoding, done) {
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line !== '') target.write(`${prettyLine(line, opts)}\n`);
      done();
    },
    final(done) {
      if (pending !== '') target.write(`${prettyLine(pending, opts)}\n`);
      done();
    },
  });
}
