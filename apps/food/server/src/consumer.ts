// The consumer page a scanned QR code opens (GS1 Digital Link resolver): mobile-first, no login, rendered
// on the server in one pass over indexed reads — origin, the journey as a timeline (the item's, its lot's
// and every lot upstream of it), inspections with their reports, cold-chain readings against the product's
// range, recall status — and the anchors of those events, which a small script checks in the phone's
// browser against the chain's proofs (see web/src/consumer/verify.ts).
import { existsSync, readFileSync } from 'node:fs';
import type { Db } from '@gongxin/db';
import { inArray } from 'drizzle-orm';
import { locations, products } from './db/schema';
import {
  DEFAULT_TEMPERATURE_RANGES,
  type EpcisEvent,
  type Gs1Key,
  lineage,
  type TimelineEntry,
  timeline,
  toDigitalLink,
} from './domain';
import { BIZ_STEP_WORDS, DISPOSITION_WORDS, TRANSFORMATION_WORDS } from './domain/labels';
import type { FoodRuntime } from './runtime';
import { anchorsByHash, SqlEventStore } from './store';

export interface JourneyStep extends TimelineEntry {
  /** The identifier the step happened to (a farm lot, the processed lot, the item). */
  subject: string;
  place?: string;
  org: string;
  reports: string[];
  temperatures: { time?: string; value: number; outOfRange: boolean }[];
  quantity?: string;
  anchor?: { height: number; index: number; txId: string; hash: string };
}

export interface ConsumerView {
  key: string;
  /** The Digital Link on this server. */
  link: string;
  gtin: string;
  lot?: string;
  serial?: string;
  product?: { name: string; category: string };
  origin: { lot: string; product?: string; place?: string; time: string; country?: string }[];
  journey: JourneyStep[];
  inspections: JourneyStep[];
  coldChain: { range?: { min: number; max: number }; readings: number; outOfRange: number };
  recalls: { id: string; lot: string; reason: string; time: number; txId: string; height: number }[];
  anchored: number;
  events: number;
}

const lotKey = (gtin: string, lot: string) => toDigitalLink({ kind: 'lgtin', gtin, lot });
const MAX_UPSTREAM = 24;

function gtinOfKey(key: string): string | undefined {
  return /\/01\/(\d{14})/.exec(key)?.[1];
}

function quantityOf(event: EpcisEvent, subject: string): string | undefined {
  const list = [
    ...(event.quantityList ?? []),
    ...(event.outputQuantityList ?? []),
    ...(event.inputQuantityList ?? []),
  ];
  const q = list.find((x) => x.epcClass === subject || decodeURIComponent(x.epcClass) === subject);
  return q ? `${q.quantity} ${q.uom ?? ''}`.trim() : undefined;
}

/** Everything the page shows, from indexed reads only. */
export async function consumerView(
  runtime: FoodRuntime,
  key: Gs1Key,
  linkBase: string,
): Promise<ConsumerView> {
  if (key.kind !== 'lgtin' && key.kind !== 'sgtin')
    throw new Error('a consumer page is for a lot or an item');
  const db: Db = runtime.services.database.db;
  const store = new SqlEventStore(db);
  const root = toDigitalLink(key);
  const link = toDigitalLink(key, linkBase);

  // The lot of an item: in its identifier, else the lot it was commissioned in.
  let lot = key.kind === 'lgtin' ? key.lot : key.lot;
  const upstream = await lineage(store, root, 'upstream', { maxNodes: 200 });
  const lotNodes = upstream.nodes.filter((n) => n.kind === 'lot' && !n.carrier).slice(0, MAX_UPSTREAM);
  if (key.kind === 'sgtin' && !lot) {
    const own = lotNodes.find((n) => gtinOfKey(n.key) === key.gtin);
    if (own) lot = decodeURIComponent(own.key.split('/10/')[1] ?? '');
  }

  // The journey: the item's and every upstream lot's own timeline, merged by time.
  const subjects = [root, ...lotNodes.map((n) => n.key).filter((k) => k !== root)];
  const steps = new Map<string, JourneyStep>();
  for (const subject of subjects) {
    for (const entry of await timeline(store, subject, { maxNodes: 50 })) {
      if (steps.has(entry.eventId)) continue;
      const stored = store.rows.get(entry.eventId);
      steps.set(entry.eventId, {
        ...entry,
        subject,
        org: stored?.row.org ?? '',
        reports: (stored?.event.bizTransactionList ?? []).map((b) => b.bizTransaction),
        temperatures: [],
        ...(stored && { quantity: quantityOf(stored.event, subject) }),
      });
    }
  }
  const journey = [...steps.values()].sort(
    (a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime) || (a.eventId < b.eventId ? -1 : 1),
  );

  // Master data in two reads.
  const gtins = new Set<string>([key.gtin]);
  for (const s of subjects) {
    const g = gtinOfKey(s);
    if (g) gtins.add(g);
  }
  const glns = new Set(journey.map((s) => s.gln).filter((g): g is string => !!g));
  const [productRows, placeRows, anchorRows] = await Promise.all([
    db
      .select()
      .from(products)
      .where(inArray(products.gtin, [...gtins])),
    glns.size
      ? db
          .select()
          .from(locations)
          .where(inArray(locations.gln, [...glns]))
      : Promise.resolve([]),
    anchorsByHash(
      db,
      journey.map((s) => s.eventId),
    ),
  ]);
  const productOf = new Map(productRows.map((p) => [p.gtin, p]));
  const placeOf = new Map(placeRows.map((p) => [p.gln, p.name]));
  const product = productOf.get(key.gtin);
  const range = product ? DEFAULT_TEMPERATURE_RANGES[product.category] : undefined;

  let readings = 0;
  let outOfRange = 0;
  for (const step of journey) {
    if (step.gln) step.place = placeOf.get(step.gln);
    const anchor = anchorRows.get(step.eventId);
    if (anchor)
      step.anchor = { height: anchor.height, index: anchor.eventIndex, txId: anchor.txId, hash: anchor.hash };
    const event = store.rows.get(step.eventId)?.event;
    const stepRange =
      DEFAULT_TEMPERATURE_RANGES[productOf.get(gtinOfKey(step.subject) ?? '')?.category ?? ''] ?? range;
    for (const element of event?.sensorElementList ?? []) {
      for (const report of element.sensorReport) {
        if (typeof report.value !== 'number' || !/Temperature$/.test(report.type)) continue;
        const bad = stepRange ? report.value < stepRange.min || report.value > stepRange.max : false;
        readings++;
        if (bad) outOfRange++;
        step.temperatures.push({
          ...(report.time && { time: report.time }),
          value: report.value,
          outOfRange: bad,
        });
      }
    }
  }

  // Origin: the upstream lots nothing further upstream feeds, with where and when they began.
  const fed = new Set(upstream.edges.map((e) => e.to));
  const sources = new Set(upstream.edges.map((e) => e.from));
  const leaves = lotNodes.filter((n) => n.key !== root && sources.has(n.key) && !fed.has(n.key));
  const originKeys =
    leaves.length > 0
      ? leaves.map((n) => n.key)
      : [key.kind === 'lgtin' ? root : lot ? lotKey(key.gtin, lot) : root];
  const origin = originKeys.map((k) => {
    const first =
      journey.find((s) => s.subject === k && s.bizStep === 'commissioning') ??
      journey.find((s) => s.subject === k);
    const event = first ? store.rows.get(first.eventId)?.event : undefined;
    const country = event?.ilmd?.['cbvmda:countryOfOrigin'];
    return {
      lot: decodeURIComponent(k.split('/10/')[1] ?? k),
      ...(productOf.get(gtinOfKey(k) ?? '') && { product: productOf.get(gtinOfKey(k) ?? '')!.name }),
      ...(first?.place && { place: first.place }),
      time: first?.eventTime ?? '',
      ...(typeof country === 'string' && { country }),
    };
  });

  const recallLots = [
    ...new Set([root, ...(lot ? [lotKey(key.gtin, lot)] : []), ...lotNodes.map((n) => n.key)]),
  ];
  const recalls = (await runtime.recallsOf(recallLots)).map((r) => ({
    id: r.id,
    lot: r.lot,
    reason: r.reason,
    time: r.time,
    txId: r.txId,
    height: r.height,
  }));

  return {
    key: root,
    link,
    gtin: key.gtin,
    ...(lot && { lot }),
    ...(key.kind === 'sgtin' && { serial: key.serial }),
    ...(product && { product: { name: product.name, category: product.category } }),
    origin,
    journey,
    inspections: journey.filter((s) => s.bizStep === 'inspecting'),
    coldChain: { ...(range && { range }), readings, outOfRange },
    recalls,
    anchored: journey.filter((s) => s.anchor).length,
    events: journey.length,
  };
}

// ------------------------------------------------------------------------------------------ HTML

const esc = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function stepName(step: JourneyStep): string {
  const known = step.bizStep ? BIZ_STEP_WORDS[step.bizStep] : undefined;
  if (step.type === 'TransformationEvent' && !known)
    return `${TRANSFORMATION_WORDS[0]} · ${TRANSFORMATION_WORDS[1]}`;
  return known ? `${known[0]} · ${known[1]}` : esc(step.bizStep ?? step.type);
}

/** `LOT · GTIN` of a lot's Digital Link, `#serial` of an item's. */
function subjectLabel(key: string): string {
  const serial = /\/21\/([^/]+)$/.exec(key)?.[1];
  if (serial) return `#${decodeURIComponent(serial)}`;
  const lot = /\/10\/([^/]+)$/.exec(key)?.[1];
  return lot ? decodeURIComponent(lot) : key;
}

const time = (iso: string) => esc(iso.replace('T', ' ').slice(0, 16));

export interface PageAssets {
  /** The verification script (the web's build), absolute path under the app; none when not built. */
  verifyScript?: string;
  explorerBase: string;
  chainBase: string;
}

const STYLE = `*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1d2733;background:#f3f6f4}
header{background:#1f7a4d;color:#fff;padding:20px 16px 16px}header h1{margin:0 0 4px;font-size:21px}header p{margin:0;opacity:.9;font-size:13px;word-break:break-all}
main{max-width:640px;margin:0 auto;padding:12px}section{background:#fff;border-radius:12px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h2{font-size:16px;margin:0 0 10px}.muted{color:#66727f;font-size:13px}.ok{color:#1f7a4d}.bad{color:#c0392b}.warn{color:#b9770e}
.banner{border-radius:12px;padding:12px 16px;margin:0 0 12px;font-weight:600}.banner.bad{background:#fdecea;color:#a32d1f}.banner.ok{background:#e7f5ec;color:#1f6b43}
ol.tl{list-style:none;margin:0;padding:0 0 0 18px;border-left:3px solid #cfe3d7}ol.tl li{position:relative;margin:0 0 14px}ol.tl li:before{content:"";position:absolute;left:-26px;top:5px;width:13px;height:13px;border-radius:50%;background:#1f7a4d;border:2px solid #fff}
ol.tl li.bad:before{background:#c0392b}.step{font-weight:600}.chip{display:inline-block;font-size:12px;padding:0 6px;border-radius:8px;background:#eef2f5;margin-right:4px}
.temps{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px}.temps span{font-size:12px;padding:1px 6px;border-radius:6px;background:#e8f1fb}.temps span.bad{background:#fdecea;color:#a32d1f}
a{color:#1a5fb4}#verify ul{margin:6px 0 0;padding-left:18px;font-size:13px}dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0}dt{color:#66727f}dd{margin:0}`;

export function renderConsumerPage(view: ConsumerView, assets: PageAssets): string {
  const title = view.product?.name ?? `GTIN ${view.gtin}`;
  const recalled = view.recalls.length > 0;
  const tx = (id: string) => `${assets.explorerBase}#/tx/${encodeURIComponent(id)}`;
  const block = (h: number) => `${assets.explorerBase}#/block/${h}`;
  const proofs = view.journey
    .filter((s) => s.anchor)
    .map((s) => ({
      hash: s.anchor!.hash,
      height: s.anchor!.height,
      index: s.anchor!.index,
      txId: s.anchor!.txId,
    }));

  const journey = view.journey
    .map((s) => {
      const disposition = s.disposition ? DISPOSITION_WORDS[s.disposition] : undefined;
      const bad = s.disposition === 'non_conformant' || s.temperatures.some((t) => t.outOfRange);
      return `<li class="${bad ? 'bad' : ''}" data-event="${esc(s.eventId)}"><div class="step">${stepName(s)}${
        disposition
          ? ` <span class="chip ${s.disposition === 'non_conformant' ? 'bad' : ''}">${esc(disposition[0])} ${esc(disposition[1])}</span>`
          : ''
      }${s.subject !== view.key ? ` <span class="chip">${esc(subjectLabel(s.subject))}</span>` : ''}</div><div class="muted">${time(s.eventTime)}${s.place ? ` · ${esc(s.place)}` : ''}${s.quantity ? ` · ${esc(s.quantity)}` : ''}</div>${
        s.temperatures.length
          ? `<div class="temps">${s.temperatures
              .map((t) => `<span class="${t.outOfRange ? 'bad' : ''}">${esc(t.value)}°C</span>`)
              .join('')}</div>`
          : ''
      }${
        s.anchor
          ? `<div class="muted">链上 on chain: <a href="${esc(tx(s.anchor.txId))}">tx ${esc(s.anchor.txId.slice(0, 10))}…</a> · <a href="${esc(block(s.anchor.height))}">block ${s.anchor.height}</a></div>`
          : '<div class="muted warn">等待上链 · not yet anchored</div>'
      }</li>`;
    })
    .join('');

  const origin = view.origin
    .map(
      (o) =>
        `<li><b>${esc(o.product ?? o.lot)}</b> <span class="chip">${esc(o.lot)}</span><div class="muted">${esc(o.place ?? '')}${
          o.time ? ` · ${time(o.time)}` : ''
        }${o.country ? ` · ${esc(o.country)}` : ''}</div></li>`,
    )
    .join('');

  const inspections = view.inspections.length
    ? `<ul>${view.inspections
        .map(
          (s) =>
            `<li><span class="${s.disposition === 'non_conformant' ? 'bad' : 'ok'}">${
              s.disposition === 'non_conformant' ? '✗ 不合格 failed' : '✓ 合格 passed'
            }</span> ${time(s.eventTime)} ${esc(s.place ?? '')}${s.reports.map((r) => `<div class="muted">报告 report ${esc(r.split(':').pop())}</div>`).join('')}</li>`,
        )
        .join('')}</ul>`
    : '<p class="muted">无检验记录 · no inspection recorded</p>';

  const cc = view.coldChain;
  const coldChain = cc.readings
    ? `<p>${cc.readings} 次读数 readings${cc.range ? ` · 要求 range ${cc.range.min}–${cc.range.max} °C` : ''} · <b class="${
        cc.outOfRange ? 'bad' : 'ok'
      }">${cc.outOfRange ? `${cc.outOfRange} 次超温 out of range` : '全程达标 always in range'}</b></p>`
    : '<p class="muted">无冷链读数 · no cold-chain readings</p>';

  const recallBanner = recalled
    ? `<div class="banner bad" id="recall">⚠ 已召回 RECALLED — ${view.recalls
        .map((r) => `${esc(r.reason)} <a href="${esc(tx(r.txId))}">(tx)</a>`)
        .join(
          '; ',
        )}<div class="muted">请勿食用，联系购买处退货 · Do not eat; return it where you bought it.</div></div>`
    : '<div class="banner ok" id="recall">✓ 无召回 · Not recalled</div>';

  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · 食品溯源 Food trace</title><style>${STYLE}</style></head><body>
<header><h1>${esc(title)}</h1><p>${view.lot ? `批次 Lot <b>${esc(view.lot)}</b> · ` : ''}${view.serial ? `序列号 Serial <b>${esc(view.serial)}</b> · ` : ''}GTIN ${esc(view.gtin)}</p></header>
<main>${recallBanner}
<section id="origin"><h2>产地 Origin</h2><ul>${origin}</ul></section>
<section id="journey"><h2>溯源旅程 Journey (${view.events})</h2>${view.events ? `<ol class="tl">${journey}</ol>` : '<p class="muted">暂无记录 · nothing recorded yet</p>'}</section>
<section id="inspections"><h2>检验与证书 Inspections</h2>${inspections}</section>
<section id="cold-chain"><h2>冷链 Cold chain</h2>${coldChain}</section>
<section id="verify" data-chain="${esc(assets.chainBase)}" data-explorer="${esc(assets.explorerBase)}"><h2>链上验证 Verified on chain</h2>
<p id="verify-status">${view.anchored}/${view.events} 条记录已上链 · records anchored. ${assets.verifyScript ? '正在本机验证… verifying in this browser…' : ''}</p><ul id="verify-steps"></ul>
<script type="application/json" id="proofs">${JSON.stringify(proofs).replace(/</g, '\\u003c')}</script></section>
<p class="muted" style="text-align:center">GS1 Digital Link: ${esc(view.link)}</p></main>
${assets.verifyScript ? `<script type="module" src="${esc(assets.verifyScript)}"></script>` : ''}</body></html>`;
}

/** A built entry's file (relative to the dist), from the web's Vite manifest; undefined when not built. */
export function builtEntry(webDist: string, name: string): string | undefined {
  const manifest = `${webDist}/.vite/manifest.json`;
  if (!existsSync(manifest)) return undefined;
  try {
    const entries = JSON.parse(readFileSync(manifest, 'utf8')) as Record<
      string,
      { file: string; isEntry?: boolean }
    >;
    return Object.entries(entries).find(([src, e]) => e.isEntry && src.includes(name))?.[1].file;
  } catch {
    return undefined;
  }
}

/** The verification script's URL under the app. */
export function verifyScriptFrom(webDist: string, base: string): string | undefined {
  const file = builtEntry(webDist, 'consumer/');
  return file ? `${base}${file}` : undefined;
}
