// The consumer page as HTML, in one language (the one the consumer chose: `?lang=`, else their browser's
// Accept-Language, Chinese first), mobile first, no framework: the view model (view.ts) in words. An
// unknown code is said plainly and warned about, never shown as a product in good standing; errors are
// pages in the consumer's language too, never JSON. Everything it prints from the request is escaped.
import { existsSync, readFileSync } from 'node:fs';
import { BIZ_STEP_WORDS, DISPOSITION_WORDS, TRANSFORMATION_WORDS } from '../domain/labels';
import type { ConsumerView, JourneyStep } from './view';

export type ConsumerLocale = 'zh-CN' | 'en';

/**
 * The page's language: `?lang=` when given (zh, zh-CN, en…), else the first language of Accept-Language
 * this page speaks; Chinese when neither says.
 */
export function consumerLocale(lang: unknown, acceptLanguage: string | undefined): ConsumerLocale {
  if (typeof lang === 'string') return /^en\b/i.test(lang) ? 'en' : 'zh-CN';
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

const WORDS = {
  'zh-CN': {
    site: '食品溯源',
    lot: '批次',
    serial: '序列号',
    recalled: '⚠ 已召回',
    recallAdvice: '请勿食用，联系购买处退货。',
    notRecalled: '✓ 无召回记录',
    unknownTitle: '⚠ 未查到该编码的任何记录',
    unknownText:
      '溯源系统中没有这个批次或序列号的任何记录。标签可能是伪造或印错的：请谨慎购买或食用，并向购买处或市场监管部门（12315）反映。',
    unknownProduct: '此 GTIN 登记的产品是“{name}”，但该批次或序列号没有任何记录。',
    origin: '产地',
    journey: '溯源旅程',
    nothing: '暂无记录',
    inspections: '检验与证书',
    noInspection: '无检验记录',
    passed: '✓ 合格',
    failed: '✗ 不合格',
    report: '报告',
    coldChain: '冷链',
    readings: '{n} 次温度读数',
    range: '要求 {min}–{max} °C',
    inRange: '全程达标',
    outOfRange: '{n} 次超温',
    noReadings: '无冷链读数',
    onChain: '链上记录',
    block: '区块',
    notAnchored: '等待上链',
    retracted: '已声明有误，不再成立',
    verify: '链上验证',
    anchored: '{a}/{n} 条记录已上链。',
    verifying: '正在本机验证…',
    language: 'English',
    link: 'GS1 数字链接',
    errorTitle: '无法打开这个溯源链接',
    errorAdvice: '请检查二维码或链接是否完整，或重新扫码。',
    units: {
      KGM: '千克',
      GRM: '克',
      TNE: '吨',
      LTR: '升',
      MLT: '毫升',
      H87: '件',
      EA: '个',
      CEL: '°C',
    } as Record<string, string>,
    countries: { CN: '中国', JP: '日本', US: '美国', AU: '澳大利亚', NZ: '新西兰' } as Record<string, string>,
  },
  en: {
    site: 'Food trace',
    lot: 'Lot',
    serial: 'Serial',
    recalled: '⚠ RECALLED',
    recallAdvice: 'Do not eat it; return it where you bought it.',
    notRecalled: '✓ No recall recorded',
    unknownTitle: '⚠ Nothing is recorded for this code',
    unknownText:
      'The traceability system has no record at all of this lot or serial number. The label may be counterfeit or misprinted: be careful buying or eating it, and tell the seller or the market regulator.',
    unknownProduct:
      'This GTIN is registered as “{name}”, but nothing is recorded for this lot or serial number.',
    origin: 'Origin',
    journey: 'Journey',
    nothing: 'Nothing recorded yet',
    inspections: 'Inspections and certificates',
    noInspection: 'No inspection recorded',
    passed: '✓ passed',
    failed: '✗ failed',
    report: 'report',
    coldChain: 'Cold chain',
    readings: '{n} temperature readings',
    range: 'required {min}–{max} °C',
    inRange: 'always in range',
    outOfRange: '{n} out of range',
    noReadings: 'No cold-chain readings',
    onChain: 'On chain',
    block: 'block',
    notAnchored: 'not yet anchored',
    retracted: 'declared erroneous: it no longer stands',
    verify: 'Verified on chain',
    anchored: '{a} of {n} records anchored.',
    verifying: 'Verifying in this browser…',
    language: '中文',
    link: 'GS1 Digital Link',
    errorTitle: 'This traceability link cannot be opened',
    errorAdvice: 'Check that the QR code or link is complete, or scan it again.',
    units: {
      KGM: 'kg',
      GRM: 'g',
      TNE: 't',
      LTR: 'L',
      MLT: 'mL',
      H87: 'pieces',
      EA: 'each',
      CEL: '°C',
    } as Record<string, string>,
    countries: {
      CN: 'China',
      JP: 'Japan',
      US: 'United States',
      AU: 'Australia',
      NZ: 'New Zealand',
    } as Record<string, string>,
  },
};

type Words = (typeof WORDS)['en'];

const esc = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

/** An event time as it was on the clock where it happened (its own offset), to the minute. */
export function localTime(iso: string, offset: string | undefined, locale: ConsumerLocale): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset ?? '+08:00');
  const shift = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 8 * 3_600_000;
  const d = new Date(ms + shift);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (locale === 'en') {
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
      d.getUTCMonth()
    ];
    return `${d.getUTCDate()} ${month} ${d.getUTCFullYear()}, ${hm}`;
  }
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hm}`;
}

function stepName(step: JourneyStep, locale: ConsumerLocale): string {
  const i = locale === 'en' ? 1 : 0;
  const known = step.bizStep ? BIZ_STEP_WORDS[step.bizStep] : undefined;
  if (known) return esc(known[i]);
  if (step.type === 'TransformationEvent') return esc(TRANSFORMATION_WORDS[i]);
  // A business step of the organisation's own vocabulary: its last word, not the whole URI.
  const own = step.bizStep
    ?.split(/[/:#-]/)
    .filter(Boolean)
    .at(-1);
  return esc(own ?? step.type);
}

/** `LOT` of a lot's Digital Link, `#serial` of an item's. */
function subjectLabel(key: string): string {
  const serial = /\/21\/([^/]+)$/.exec(key)?.[1];
  if (serial) return `#${decodeURIComponent(serial)}`;
  const lot = /\/10\/([^/]+)$/.exec(key)?.[1];
  return lot ? decodeURIComponent(lot) : key;
}

function quantityText(q: JourneyStep['quantity'], w: Words): string {
  if (!q || q.value === undefined) return '';
  return `${q.value} ${q.uom ? (w.units[q.uom] ?? q.uom) : ''}`.trim();
}

export interface PageAssets {
  /** The verification script (the web's build), absolute path under the app; none when not built. */
  verifyScript?: string;
  explorerBase: string;
  chainBase: string;
  /** Where the page fetches an event to recompute its hash (the EPCIS query interface). */
  eventsBase?: string;
}

const STYLE = `*{box-sizing:border-box}body{margin:0;font:15px/1.55 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1d2733;background:#f4f6f8;word-break:normal;overflow-wrap:anywhere}
header{background:#1f7a4d;color:#fff;padding:18px 16px 14px}header .top{display:flex;justify-content:space-between;gap:12px;align-items:baseline}header h1{margin:0 0 4px;font-size:20px;line-height:1.3}header p{margin:0;opacity:.92;font-size:13px}header a{color:#fff;font-size:13px;white-space:nowrap}
main{max-width:640px;margin:0 auto;padding:12px}section{background:#fff;border-radius:12px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h2{font-size:16px;margin:0 0 10px}.muted{color:#5f6b78;font-size:13px}.ok{color:#1f7a4d}.bad{color:#b42318}.warn{color:#9a5b00}
.banner{border-radius:12px;padding:12px 16px;margin:0 0 12px;font-weight:600}.banner p{font-weight:400;margin:6px 0 0}.banner.bad{background:#fdecea;color:#8f1d12}.banner.ok{background:#e7f5ec;color:#1f6b43}.banner.warn{background:#fff4e0;color:#7a4700;border:1px solid #f0c36d}
ol.tl{list-style:none;margin:0;padding:0 0 0 18px;border-left:3px solid #cfe3d7}ol.tl li{position:relative;margin:0 0 14px}ol.tl li:before{content:"";position:absolute;left:-26px;top:5px;width:13px;height:13px;border-radius:50%;background:#1f7a4d;border:2px solid #fff}
ol.tl li.bad:before{background:#b42318}ol.tl li.retracted{opacity:.6}ol.tl li.retracted .step{text-decoration:line-through}.step{font-weight:600}.chip{display:inline-block;font-size:12px;padding:0 6px;border-radius:8px;background:#eef2f5;margin-right:4px}.chip.bad{background:#fdecea;color:#8f1d12}
.temps{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px}.temps span{font-size:12px;padding:1px 6px;border-radius:6px;background:#e8f1fb}.temps span.bad{background:#fdecea;color:#8f1d12}
a{color:#1a5fb4}#verify ul{margin:6px 0 0;padding-left:18px;font-size:13px}ul{padding-left:20px;margin:0}.link{text-align:center;overflow-wrap:anywhere}`;

function page(locale: ConsumerLocale, title: string, header: string, body: string, script = ''): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · ${esc(WORDS[locale].site)}</title><style>${STYLE}</style></head><body>
${header}<main>${body}</main>${script}</body></html>`;
}

/** The other language's link: the same page with `?lang=`. */
function languageLink(locale: ConsumerLocale, path: string | undefined): string {
  if (!path) return '';
  const other = locale === 'en' ? 'zh-CN' : 'en';
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', other);
  return `<a href="${esc(`${url.pathname}${url.search}`)}" hreflang="${other}" data-test="language">${esc(WORDS[locale].language)}</a>`;
}

export function renderConsumerPage(
  view: ConsumerView,
  assets: PageAssets,
  locale: ConsumerLocale = 'zh-CN',
  path?: string,
): string {
  const w = WORDS[locale];
  const i = locale === 'en' ? 1 : 0;
  // An unknown code gets no product headline: the name would lend a made-up label the product's standing.
  const title = view.known ? (view.product?.name ?? `GTIN ${view.gtin}`) : `GTIN ${view.gtin}`;
  const recalled = view.recalls.length > 0;
  const tx = (id: string) => `${assets.explorerBase}#/tx/${encodeURIComponent(id)}`;
  const block = (h: number) => `${assets.explorerBase}#/block/${h}`;
  const time = (iso: string, offset?: string) => esc(localTime(iso, offset, locale));
  const proofs = view.journey
    .filter((s) => s.anchor)
    .map((s) => ({
      hash: s.anchor!.hash,
      height: s.anchor!.height,
      index: s.anchor!.index,
      txId: s.anchor!.txId,
    }));

  const header = `<header><div class="top"><h1>${esc(title)}</h1>${languageLink(locale, path)}</div><p>${
    view.lot ? `${w.lot} <b>${esc(view.lot)}</b> · ` : ''
  }${view.serial ? `${w.serial} <b>${esc(view.serial)}</b> · ` : ''}GTIN ${esc(view.gtin)}</p></header>`;

  if (!view.known) {
    // Nothing recorded: the code is unknown here. No green banner, no product story: a warning.
    const body = `<div class="banner warn" id="unknown" data-test="unknown">${esc(w.unknownTitle)}<p>${esc(w.unknownText)}</p>${
      view.product ? `<p>${esc(fill(w.unknownProduct, { name: view.product.name }))}</p>` : ''
    }</div><p class="muted link">${esc(w.link)}: ${esc(view.link)}</p>`;
    return page(locale, title, header, body);
  }

  const journey = view.journey
    .map((s) => {
      const disposition = s.disposition ? DISPOSITION_WORDS[s.disposition] : undefined;
      const failed = s.disposition === 'non_conformant';
      const bad = !s.retracted && (failed || s.temperatures.some((t) => t.outOfRange));
      const quantity = quantityText(s.quantity, w);
      return `<li class="${s.retracted ? 'retracted' : bad ? 'bad' : ''}" data-event="${esc(s.eventId)}"><div class="step">${stepName(s, locale)}${
        disposition ? ` <span class="chip ${failed ? 'bad' : ''}">${esc(disposition[i])}</span>` : ''
      }${s.subject !== view.key ? ` <span class="chip">${esc(subjectLabel(s.subject))}</span>` : ''}</div>${
        s.retracted ? `<div class="warn" data-test="retracted">${esc(w.retracted)}</div>` : ''
      }<div class="muted">${time(s.eventTime, s.offset)}${s.place ? ` · ${esc(s.place)}` : ''}${quantity ? ` · ${esc(quantity)}` : ''}</div>${
        s.temperatures.length
          ? `<div class="temps">${s.temperatures
              .map((t) => `<span class="${t.outOfRange ? 'bad' : ''}">${esc(t.value)} °C</span>`)
              .join('')}</div>`
          : ''
      }${
        s.anchor
          ? `<div class="muted">${esc(w.onChain)}: <a href="${esc(tx(s.anchor.txId))}">tx ${esc(s.anchor.txId.slice(0, 10))}…</a> · <a href="${esc(block(s.anchor.height))}">${esc(w.block)} ${s.anchor.height}</a></div>`
          : `<div class="muted warn">${esc(w.notAnchored)}</div>`
      }</li>`;
    })
    .join('');

  const origin = view.origin
    .map(
      (o) =>
        `<li><b>${esc(o.product ?? o.lot)}</b> <span class="chip">${esc(o.lot)}</span><div class="muted">${esc(o.place ?? '')}${
          o.time ? ` · ${time(o.time)}` : ''
        }${o.country ? ` · ${esc(w.countries[o.country] ?? o.country)}` : ''}</div></li>`,
    )
    .join('');

  const inspections = view.inspections.length
    ? `<ul>${view.inspections
        .map((s) => {
          const failed = s.disposition === 'non_conformant';
          return `<li class="${s.retracted ? 'retracted' : ''}"><span class="${failed ? 'bad' : 'ok'}">${esc(
            failed ? w.failed : w.passed,
          )}</span> ${time(s.eventTime, s.offset)} ${esc(s.place ?? '')}${
            s.retracted ? ` <span class="warn">(${esc(w.retracted)})</span>` : ''
          }${s.reports.map((r) => `<div class="muted">${esc(w.report)} ${esc(r.split(':').pop())}</div>`).join('')}</li>`;
        })
        .join('')}</ul>`
    : `<p class="muted">${esc(w.noInspection)}</p>`;

  const cc = view.coldChain;
  const coldChain = cc.readings
    ? `<p>${esc(fill(w.readings, { n: cc.readings }))}${
        cc.range ? ` · ${esc(fill(w.range, { min: cc.range.min, max: cc.range.max }))}` : ''
      } · <b class="${cc.outOfRange ? 'bad' : 'ok'}">${esc(cc.outOfRange ? fill(w.outOfRange, { n: cc.outOfRange }) : w.inRange)}</b></p>`
    : `<p class="muted">${esc(w.noReadings)}</p>`;

  const recallBanner = recalled
    ? `<div class="banner bad" id="recall">${esc(w.recalled)} — ${view.recalls
        .map((r) => `${esc(r.reason)} <a href="${esc(tx(r.txId))}">(tx)</a>`)
        .join('; ')}<p>${esc(w.recallAdvice)}</p></div>`
    : `<div class="banner ok" id="recall">${esc(w.notRecalled)}</div>`;

  const body = `${recallBanner}
<section id="origin"><h2>${esc(w.origin)}</h2><ul>${origin}</ul></section>
<section id="journey"><h2>${esc(w.journey)} (${view.events})</h2>${view.events ? `<ol class="tl">${journey}</ol>` : `<p class="muted">${esc(w.nothing)}</p>`}</section>
<section id="inspections"><h2>${esc(w.inspections)}</h2>${inspections}</section>
<section id="cold-chain"><h2>${esc(w.coldChain)}</h2>${coldChain}</section>
<section id="verify" data-chain="${esc(assets.chainBase)}" data-explorer="${esc(assets.explorerBase)}" data-events="${esc(assets.eventsBase ?? '')}"><h2>${esc(w.verify)}</h2>
<p id="verify-status">${esc(fill(w.anchored, { a: view.anchored, n: view.events }))} ${assets.verifyScript ? esc(w.verifying) : ''}</p><ul id="verify-steps"></ul>
<script type="application/json" id="proofs">${JSON.stringify(proofs).replace(/</g, '\\u003c')}</script></section>
<p class="muted link">${esc(w.link)}: ${esc(view.link)}</p>`;
  return page(
    locale,
    title,
    header,
    body,
    assets.verifyScript ? `<script type="module" src="${esc(assets.verifyScript)}"></script>` : '',
  );
}

/** An error on a consumer link (a mistyped GTIN, a bad parameter) as a page in the consumer's language. */
export function renderConsumerError(
  detail: { en: string; zh: string },
  locale: ConsumerLocale,
  path?: string,
): string {
  const w = WORDS[locale];
  const header = `<header><div class="top"><h1>${esc(w.errorTitle)}</h1>${languageLink(locale, path)}</div></header>`;
  const body = `<div class="banner bad" id="error" data-test="error">${esc(locale === 'en' ? detail.en : detail.zh)}<p>${esc(
    w.errorAdvice,
  )}</p></div>`;
  return page(locale, w.errorTitle, header, body);
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
