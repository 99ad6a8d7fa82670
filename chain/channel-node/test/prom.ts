// Reads Prometheus text the way a scraper does, for the tests' checks of GET /metrics.

/** The value of one series: `name` with exactly these labels (none when absent); undefined when absent. */
export function sample(text: string, name: string, labels: Readonly<Record<string, string>> = {}) {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) got[k!] = v!;
    const wanted = Object.entries(labels);
    if (Object.keys(got).length === wanted.length && wanted.every(([k, v]) => got[k] === v))
      return Number(m[3]);
  }
  return undefined;
}

/** GET /metrics of a channel node's API: the text, after checking it is the exposition format. */
export async function scrape(api: string): Promise<string> {
  const res = await fetch(`${api}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics: HTTP ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain')) throw new Error(`GET /metrics: content-type ${type}`);
  return res.text();
}
