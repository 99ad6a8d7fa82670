// The food contract's records in words: its decoder pack (docs/explorer.md, "Adding an app's decoders").
// Built as a self-contained module and served at /food/explorer-decoders.js; the explorer imports it and
// calls these with its own `t`, and this app installs the same pack for its sign dialog (decoders.ts).
// Events are read through the food contract's event catalog (a mismatch throws, and the line shows the
// JSON); actions have no catalog, so their decoders read the params they need and throw on anything else.
// Nothing but the catalog, the business steps' words and the Digital Link reader (modules without imports)
// is imported at run time: the pack must load on its own in another app's page.
import { foodEvents } from '@gongxin/contracts/events';
import { BIZ_STEP_WORDS } from '@gongxin/food-server/labels';
import type { ActionParams, Translate } from '@gongxin/ui';
import { readLotLink } from './lot-link';

type Json = ActionParams[string];
type ActionWords = (params: ActionParams, t: Translate) => string;

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
  const link = readLotLink(key);
  return link ? `${link.lot} (GTIN ${link.gtin})` : key;
};
const epcs = (listed: readonly string[] | undefined, count: Json | undefined) =>
  listed ? listed.map(lot).join(', ') : `${String(count ?? 0)} EPC (Merkle root)`;

/** EPCIS event types in words; an unknown type or step (a newer vocabulary) reads as written. */
const EVENT_TYPE_WORDS: Readonly<Record<string, readonly [string, string]>> = {
  ObjectEvent: ['对象事件', 'object event'],
  AggregationEvent: ['聚合事件', 'aggregation event'],
  TransformationEvent: ['转换事件', 'transformation event'],
  AssociationEvent: ['关联事件', 'association event'],
  TransactionEvent: ['交易事件', 'transaction event'],
};
const wordsIn = (words: Readonly<Record<string, readonly [string, string]>>, lang: 0 | 1) =>
  Object.fromEntries(Object.entries(words).map(([key, w]) => [key, w[lang]]));
const typeWords = (type: string, t: Translate) =>
  type in EVENT_TYPE_WORDS ? t(`food.explorer.types.${type}`) : type;
const stepWords = (step: string | undefined, t: Translate) =>
  step === undefined ? '—' : step in BIZ_STEP_WORDS ? t(`food.explorer.steps.${step}`) : step;

export interface FoodDecoderPack {
  messages: { 'zh-CN': Record<string, unknown>; en: Record<string, unknown> };
  events: Record<string, (attrs: unknown, t: Translate) => string>;
  actions: Record<string, ActionWords>;
}

// Registrations, recalls and alerts read the same in the action and in the event it emits: one sentence
// for both.
const product = (x: { name: string; gtin: string; category: string }, t: Translate) =>
  t('food.explorer.product', { name: x.name, gtin: x.gtin, category: x.category });
const location = (x: { name: string; gln: string }, t: Translate) =>
  t('food.explorer.location', { name: x.name, gln: x.gln });
const recall = (x: { lots: readonly string[]; reason: string }, t: Translate) =>
  t('food.explorer.recalled', { lots: x.lots.map(lot).join(', '), reason: x.reason });
const alertRaised = (x: { severity: string; kind: string; subject: string }, t: Translate) =>
  t('food.explorer.alertRaised', { severity: x.severity, kind: x.kind, subject: lot(x.subject) });
const alertResolved = (x: { id: string; resolution: string }, t: Translate) =>
  t('food.explorer.alertResolved', { id: x.id, resolution: x.resolution });
/** An EPCIS error declaration: the action names `eventHash`, the event it emits `hash`. */
const errorDeclared = (x: { hash: string; reason?: string; corrective: readonly string[] }, t: Translate) =>
  t('food.explorer.errorDeclared', {
    hash: x.hash,
    reason: x.reason ?? '—',
    corrective: x.corrective.length,
  });

const pack: FoodDecoderPack = {
  messages: {
    'zh-CN': {
      food: {
        explorer: {
          anchored: '{by} 锚定 EPCIS {type}（{step}）{hash}，涉及 {epcs}',
          anchor: '锚定 EPCIS {type}（{step}）{hash}，涉及 {epcs}',
          types: wordsIn(EVENT_TYPE_WORDS, 0),
          steps: wordsIn(BIZ_STEP_WORDS, 0),
          product: '登记产品 {name}（GTIN {gtin}，类别 {category}）',
          location: '登记地点 {name}（GLN {gln}）',
          recalled: '召回 {lots}：{reason}',
          alertRaised: '预警（{severity}）{kind}：{subject}',
          alertResolved: '预警 {id} 已处理：{resolution}',
          errorDeclared: '声明事件 {hash} 有误（{reason}），更正事件 {corrective} 条',
        },
      },
    },
    en: {
      food: {
        explorer: {
          anchored: '{by} anchored EPCIS {type} ({step}) {hash} for {epcs}',
          anchor: 'Anchor EPCIS {type} ({step}) {hash} for {epcs}',
          types: wordsIn(EVENT_TYPE_WORDS, 1),
          steps: wordsIn(BIZ_STEP_WORDS, 1),
          product: 'Register product {name} (GTIN {gtin}, category {category})',
          location: 'Register location {name} (GLN {gln})',
          recalled: 'Recall of {lots}: {reason}',
          alertRaised: 'Alert ({severity}) {kind}: {subject}',
          alertResolved: 'Alert {id} resolved: {resolution}',
          errorDeclared: 'Event {hash} declared erroneous ({reason}), {corrective} corrective events',
        },
      },
    },
  },
  events: foodEvents.decoders({
    anchored: (a, t: Translate) =>
      t('food.explorer.anchored', {
        by: a.by,
        type: typeWords(a.eventType, t),
        step: stepWords(a.bizStep, t),
        hash: a.hash,
        epcs: epcs(a.epcs, a.epcCount),
      }),
    productRegistered: product,
    locationRegistered: location,
    recalled: recall,
    alertRaised,
    alertResolved,
    eventErrorDeclared: errorDeclared,
  }),
  actions: {
    'food.anchorEvent': (p, t) =>
      t('food.explorer.anchor', {
        type: typeWords(text(p.eventType, 'eventType'), t),
        step: stepWords(typeof p.bizStep === 'string' ? p.bizStep : undefined, t),
        hash: text(p.eventHash, 'eventHash'),
        epcs: epcs(Array.isArray(p.epcs) ? list(p.epcs, 'epcs') : undefined, p.epcCount),
      }),
    'food.registerProduct': (p, t) =>
      product(
        { name: text(p.name, 'name'), gtin: text(p.gtin, 'gtin'), category: text(p.category, 'category') },
        t,
      ),
    'food.registerLocation': (p, t) => location({ name: text(p.name, 'name'), gln: text(p.gln, 'gln') }, t),
    'food.issueRecall': (p, t) => recall({ lots: list(p.lots, 'lots'), reason: text(p.reason, 'reason') }, t),
    'food.raiseAlert': (p, t) =>
      alertRaised(
        {
          severity: text(p.severity, 'severity'),
          kind: text(p.kind, 'kind'),
          subject: text(p.subject, 'subject'),
        },
        t,
      ),
    'food.resolveAlert': (p, t) =>
      alertResolved({ id: text(p.id, 'id'), resolution: text(p.resolution, 'resolution') }, t),
    'food.declareEventError': (p, t) =>
      errorDeclared(
        {
          hash: text(p.eventHash, 'eventHash'),
          ...(typeof p.reason === 'string' && { reason: p.reason }),
          corrective: p.corrective === undefined ? [] : list(p.corrective, 'corrective'),
        },
        t,
      ),
  },
};

export default pack;
