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
    'food.productRegistered': (a, t) =>
      t('food.explorer.product', {
        name: text(a.name, 'name'),
        gtin: text(a.gtin, 'gtin'),
        category: text(a.category, 'category'),
      }),
    'food.locationRegistered': (a, t) =>
      t('food.explorer.location', { name: text(a.name, 'name'), gln: text(a.gln, 'gln') }),
    'food.recalled': (a, t) =>
      t('food.explorer.recalled', {
        lots: list(a.lots, 'lots').map(lot).join(', '),
        reason: text(a.reason, 'reason'),
      }),
    'food.alertRaised': (a, t) =>
      t('food.explorer.alertRaised', {
        severity: text(a.severity, 'severity'),
        kind: text(a.kind, 'kind'),
        subject: lot(text(a.subject, 'subject')),
      }),
    'food.alertResolved': (a, t) =>
      t('food.explorer.alertResolved', {
        id: text(a.id, 'id'),
        resolution: text(a.resolution, 'resolution'),
      }),
  },
  actions: {
    'food.anchorEvent': (p, t) =>
      t('food.explorer.anchor', {
        type: text(p.eventType, 'eventType'),
        step: typeof p.bizStep === 'string' ? p.bizStep : '—',
        hash: text(p.eventHash, 'eventHash'),
        epcs: epcs(p),
      }),
    'food.registerProduct': (p, t) =>
      t('food.explorer.product', {
        name: text(p.name, 'name'),
        gtin: text(p.gtin, 'gtin'),
        category: text(p.category, 'category'),
      }),
    'food.registerLocation': (p, t) =>
      t('food.explorer.location', { name: text(p.name, 'name'), gln: text(p.gln, 'gln') }),
    'food.issueRecall': (p, t) =>
      t('food.explorer.recalled', {
        lots: list(p.lots, 'lots').map(lot).join(', '),
        reason: text(p.reason, 'reason'),
      }),
    'food.raiseAlert': (p, t) =>
      t('food.explorer.alertRaised', {
        severity: text(p.severity, 'severity'),
        kind: text(p.kind, 'kind'),
        subject: lot(text(p.subject, 'subject')),
      }),
    'food.resolveAlert': (p, t) =>
      t('food.explorer.alertResolved', {
        id: text(p.id, 'id'),
        resolution: text(p.resolution, 'resolution'),
      }),
  },
};

export default pack;
