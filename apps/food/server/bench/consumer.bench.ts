// The consumer page under load: 100,000 EPCIS events stored (bulk insert through the store, on PGlite),
// the demo supply chains on chain, then the page of a pork pack and of a salad lot requested many times.
// Prints the server time per page (p50/p95, in process: the reads, the lineage walk and the HTML) and the
// HTTP round trip on loopback, and the page's weight gzipped (HTML plus the verification script and
// what it imports, from the web build). Targets: p95 < 150 ms, weight < 300 KB.
//   npm run bench -w @gongxin/food-server           (BENCH_EVENTS, BENCH_REQUESTS to change the sizes)
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { consumerView, renderConsumerPage, verifyScriptFrom } from '../src/consumer';
import { seedFoodDemo } from '../src/demo';
import { demoChains } from '../src/demo-chains';
import { anchorEventParams, type EpcisEvent, eventHashId, withCheckDigit } from '../src/domain';
import { insertEvents, type NewEvent } from '../src/store';
import { startFoodHarness } from '../test/harness';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Four events per lot (harvest, ship, receive, sell) over 500 products: the background volume. */
function backgroundEvents(count: number, now: number): NewEvent[] {
  const out: NewEvent[] = [];
  const t0 = now - 90 * 86_400_000;
  for (let i = 0; out.length < count; i++) {
    const gtin = withCheckDigit(`06908888${String(i % 500).padStart(5, '0')}`);
    const lot = `https://id.gs1.org/01/${gtin}/10/BG-${i}`;
    const place = `https://id.gs1.org/414/${withCheckDigit(`69088880${String(i % 97).padStart(4, '0')}`)}`;
    const steps: [string, string, string][] = [
      ['ADD', 'commissioning', 'active'],
      ['OBSERVE', 'shipping', 'in_transit'],
      ['OBSERVE', 'receiving', 'sellable_accessible'],
      ['OBSERVE', 'retail_selling', 'retail_sold'],
    ];
    steps.forEach(([action, bizStep, disposition], k) => {
      if (out.length >= count) return;
      const event = {
        type: 'ObjectEvent',
        action,
        eventTime: new Date(t0 + i * 60_000 + k * 3_600_000).toISOString(),
        eventTimeZoneOffset: '+08:00',
        bizStep,
        disposition,
        quantityList: [{ epcClass: lot, quantity: 10, uom: 'KGM' }],
        readPoint: { id: place },
      } as unknown as EpcisEvent;
      const { id, digest } = eventHashId(event as unknown as Record<string, unknown>);
      out.push({
        hash: digest,
        hashId: id,
        event,
        anchor: anchorEventParams(event, { captureTime: now }),
        org: 'bench',
        captureId: 'bench',
        source: 'bulk',
        createdAt: now,
      });
    });
  }
  return out;
}

const h = await startFoodHarness();
try {
  const runtime = h.app;
  const t0 = performance.now();
  await seedFoodDemo(h.services, h.app);
  await h.caughtUp();
  const seeded = performance.now();
  const background = backgroundEvents(EVENTS, Date.now());
  const built = performance.now();
  await h.database.transaction((tx) => insertEvents(tx, background));
  const inserted = performance.now();
  const [counted] = await h.database.query<{ n: number }>(
    (await import('drizzle-orm')).sql`select count(*)::int as n from food.events`,
  );
  console.log(
    `events stored: ${counted?.n} (${EVENTS} bulk in ${ms(inserted - built)}, built in ${ms(built - seeded)}; demo seeded and anchored in ${ms(seeded - t0)})`,
  );

  const chains = demoChains(0);
  const item = chains.items[0]!;
  const salad = chains.lots[0]!;
  const pages = [
    {
      name: 'pork pack (item, 3 farm lots upstream)',
      key: { kind: 'sgtin' as const, gtin: item.gtin, serial: item.serial },
      path: `/food/01/${item.gtin}/21/${item.serial}`,
    },
    {
      name: 'salad lot',
      key: { kind: 'lgtin' as const, gtin: salad.gtin, lot: salad.lot },
      path: `/food/01/${salad.gtin}/10/${salad.lot}`,
    },
  ];
  const assets = {
    verifyScript: verifyScriptFrom(webDist, '/food/'),
    explorerBase: '/explorer/',
    chainBase: '/chain',
  };

  for (const page of pages) {
    for (let i = 0; i < 20; i++) renderConsumerPage(await consumerView(runtime, page.key, h.url), assets); // warm-up
    const server: number[] = [];
    const http: number[] = [];
    let html = '';
    for (let i = 0; i < REQUESTS; i++) {
      const a = performance.now();
      html = renderConsumerPage(await consumerView(runtime, page.key, `${h.url}/food`), assets);
      server.push(performance.now() - a);
      const b = performance.now();
      const res = await fetch(`${h.url}${page.path}`);
      await res.text();
      http.push(performance.now() - b);
    }
    server.sort((x, y) => x - y);
    http.sort((x, y) => x - y);
    const p95 = pct(server, 95);
    console.log(
      `${page.name}: server p50 ${ms(pct(server, 50))}, p95 ${ms(p95)} (target < 150 ms: ${p95 < 150 ? 'met' : 'NOT met'}); HTTP round trip p50 ${ms(pct(http, 50))}, p95 ${ms(pct(http, 95))} over ${REQUESTS} requests`,
    );
    // Page weight: the HTML and the script with every chunk it imports, gzipped.
    let weight = gzipSync(html).length;
    const parts = [`HTML ${(weight / 1024).toFixed(1)} KB`];
    const manifestFile = `${webDist}/.vite/manifest.json`;
    if (existsSync(manifestFile)) {
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<
        string,
        { file: string; imports?: string[]; isEntry?: boolean; src?: string }
      >;
      const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry && k.includes('consumer'));
      const seen = new Set<string>();
      const walk = (k: string) => {
        if (seen.has(k)) return;
        seen.add(k);
        for (const i of manifest[k]?.imports ?? []) walk(i);
      };
      if (entry) walk(entry);
      let script = 0;
      for (const k of seen) script += gzipSync(readFileSync(`${webDist}/${manifest[k]!.file}`)).length;
      weight += script;
      parts.push(`script ${(script / 1024).toFixed(1)} KB`);
    } else parts.push('script not built (run `npm run build`)');
    console.log(
      `  page weight gzipped: ${(weight / 1024).toFixed(1)} KB (${parts.join(' + ')}; target < 300 KB: ${weight < 300 * 1024 ? 'met' : 'NOT met'})`,
    );
  }
} finally {
  await h.close();
}
