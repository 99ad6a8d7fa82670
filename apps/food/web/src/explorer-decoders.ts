// The food contract's records in words for the explorer (its decoder packs: docs/explorer.md, "Adding an
// app's decoders"). Built as a self-contained module and served at /food/explorer-decoders.js; the explorer
// imports it and calls these with its own `t`. Also registered in this app's sign dialog (decoders.ts).
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Attrs = { readonly [key: string]: Json };
type Translate = (key: string, named?: Record<string, unknown>) => string;
type Decoder = (attrs: Attrs, t: Translate) => string;

const text = (value: Json | undefined, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} is not text`);
  return value;
};
const list = (value: Json | undefined, what: string): string[] => {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new Error(`${what} is not a list`);
  return value as string[];
};
/** `LOT (GTIN)` of a lot's Digital Link; other identifiers as written. */
const lot = (key: string) => {
  const m = /\/01\/(\d{14})\/10\/([^/]+)$/.exec(key);
  return m ? `${decodeURIComponent(m[2]!)} (GTIN ${m[1]})` : key;
};
const epcs = (a: Attrs) =>
  Array.isArray(a.epcs)
    ? list(a.epcs, 'epcs').map(lot).join(', ')
    : `${String(a.epcCount ?? 0)} EPC (Merkle root)`;

export interface FoodDecoderPack {
  messages: { 'zh-CN': Record<string, unknown>; en: Record<string, unknown> };
  events: Record<string, Decoder>;
  actions: Record<string, Decoder>;
}

// Registrations, recalls and alerts carry the same fields in the action and in the event it emits: one
// decoder reads both.
const product: Decoder = (x, t) =>
  t('food.explorer.product', {
    name: text(x.name, 'name'),
    gtin: text(x.gtin, 'gtin'),
    category: text(x.category, 'category'),
  });
const location: Decoder = (x, t) =>
  t('food.explorer.location', { name: text(x.name, 'name'), gln: text(x.gln, 'gln') });
const recall: Decoder = (x, t) =>
  t('food.explorer.recalled', {
    lots: list(x.lots, 'lots').map(lot).join(', '),
    reason: text(x.reason, 'reason'),
  });
const alertRaised: Decoder = (x, t) =>
  t('food.explorer.alertRaised', {
    severity: text(x.severity, 'severity'),
    kind: text(x.kind, 'kind'),
    subject: lot(text(x.subject, 'subject')),
  });
const alertResolved: Decoder = (x, t) =>
  t('food.explorer.alertResolved', {
    id: text(x.id, 'id'),
    resolution: text(x.resolution, 'resolution'),
  });

const pack: FoodDecoderPack = {
  messages: {
    'zh-CN': {
      food: {
        explorer: {
          anchored: '{by} 锚定 EPCIS {type}（{step}）事件 {hash}，涉及 {epcs}',
          anchor: '锚定 EPCIS {type}（{step}）事件 {hash}，涉及 {epcs}',
          product: '登记产品 {name}（GTIN {gtin}，类别 {category}）',
          location: '登记地点 {name}（GLN {gln}）',
          recalled: '召回 {lots}：{reason}',
          alertRaised: '预警（{severity}）{kind}：{subject}',
          alertResolved: '预警 {id} 已处理：{resolution}',
        },
      },
    },
    en: {
      food: {
        explorer: {
          anchored: '{by} anchored EPCIS {type} ({step}) event {hash} for {epcs}',
          anchor: 'Anchor EPCIS {type} ({step}) event {hash} for {epcs}',
          product: 'Register product {name} (GTIN {gtin}, category {category})',
          location: 'Register location {name} (GLN {gln})',
          recalled: 'Recall of {lots}: {reason}',
          alertRaised: 'Alert ({severity}) {kind}: {subject}',
          alertResolved: 'Alert {id} resolved: {resolution}',
        },
      },
    },
  },
  events: {
    'food.anchored': (a, t) =>
      t('food.explorer.anchored', {
        by: text(a.by, 'by'),
        type: text(a.eventType, 'eventType'),
        step: typeof a.bizStep === 'string' ? a.bizStep : '—',
        hash: text(a.hash, 'hash'),
        epcs: epcs(a),
      }),
    'food.productRegistered': product,
    'food.locationRegistered': location,
    'food.recalled': recall,
    'food.alertRaised': alertRaised,
    'food.alertResolved': alertResolved,
  },
  actions: {
    'food.anchorEvent': (p, t) =>
      t('food.explorer.anchor', {
        type: text(p.eventType, 'eventType'),
        step: typeof p.bizStep === 'string' ? p.bizStep : '—',
        hash: text(p.eventHash, 'eventHash'),
        epcs: epcs(p),
      }),
    'food.registerProduct': product,
    'food.registerLocation': location,
    'food.issueRecall': recall,
    'food.raiseAlert': alertRaised,
    'food.resolveAlert': alertResolved,
  },
};

export default pack;
