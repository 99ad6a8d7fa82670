// Topic layout for device ingest: `<prefix>/<shard>/<device>/<rest…>`. The shard is a pure function of
// the device id, so a publisher needs no coordination, and every reading of one device lands on the
// same shard (and so the same worker, in order). The layout is the same whether the consumers split the
// load with `$share` or by shard, so devices never need to know which broker they talk to.

/** FNV-1a (32 bit) of the UTF-8 bytes: stable across processes and languages, cheap, well spread. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function assertShardCount(shardCount: number): void {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 4096) {
    throw new RangeError(`shard count must be an integer in 1..4096, got ${shardCount}`);
  }
}

function assertLevel(what: string, value: string): void {
  if (value === '' || /[+#/]/.test(value) || value.includes('\0')) {
    throw new RangeError(`${what} ${JSON.stringify(value)} must be one non-empty topic level without + # /`);
  }
}

export function shardOf(device: string, shardCount: number): number {
  assertShardCount(shardCount);
  return fnv1a32(device) % shardCount;
}

/** The topic a device publishes on, e.g. `meters/7/meter-0042/reading`. */
export function shardTopic(prefix: string, shardCount: number, device: string, ...rest: string[]): string {
  assertLevel('device id', device);
  for (const level of rest) assertLevel('topic level', level);
  return [prefix, String(shardOf(device, shardCount)), device, ...rest].join('/');
}

/** The filter for one shard: `<prefix>/<shard>/#`. */
export function shardFilter(prefix: string, shard: number): string {
  return `${prefix}/${shard}/#`;
}

/** The filter covering every shard: `<prefix>/+/#`, the one a `$share` group subscribes to. */
export function allShardsFilter(prefix: string): string {
  return `${prefix}/+/#`;
}

/**
 * The shards one worker owns when `workers` workers split `shardCount` shards: shard s belongs to
 * worker `s % workers`. Every shard has exactly one owner, so no message is taken twice or not at all.
 */
export function shardsOfWorker(shardCount: number, workers: number, worker: number): number[] {
  assertShardCount(shardCount);
  if (!Number.isInteger(workers) || workers < 1 || workers > shardCount) {
    throw new RangeError(`workers must be an integer in 1..${shardCount} (the shard count), got ${workers}`);
  }
  if (!Number.isInteger(worker) || worker < 0 || worker >= workers) {
    throw new RangeError(`worker must be an integer in 0..${workers - 1}, got ${worker}`);
  }
  const mine: number[] = [];
  for (let s = worker; s < shardCount; s += workers) mine.push(s);
  return mine;
}

/** Splits `<prefix>/<shard>/<device>/…` into its parts; null when the topic is not in the layout. */
export function parseShardTopic(
  prefix: string,
  topic: string,
): { shard: number; device: string; rest: string[] } | null {
  if (!topic.startsWith(`${prefix}/`)) return null;
  const levels = topic.slice(prefix.length + 1).split('/');
  if (levels.length < 2) return null;
  const [shardText, device, ...rest] = levels as [string, string, ...string[]];
  if (!/^(0|[1-9]\d{0,3})$/.test(shardText) || device === '') return null;
  return { shard: Number(shardText), device, rest };
}
