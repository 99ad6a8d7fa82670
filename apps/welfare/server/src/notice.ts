// The 公示 list: households whose application is in its public notice period, as the public may see
// them — the area, the head of household's name masked on this server (张*三, 李*; never the full name,
// never an ID number or hash), the category, the proposed monthly amount (the means test on the inputs
// of the preliminary review, the standard and rules in force) and when the notice ends (set on chain by
// the area's notice period and the working-day calendar). Clear names are held off chain; the chain
// holds only keyed ID hashes and passport accounts.
import {
  type Application,
  type Area,
  applicationOf,
  areaOf,
  type Household,
  householdOf,
  meansTest,
  standardFor,
  WELFARE_CATEGORY_NAMES_ZH,
  type WelfareCategory,
  welfareKeys,
} from '@gongxin/contracts';
import type { StateReader, Value } from '@gongxin/ledger';
import { asc, eq } from 'drizzle-orm';
import { applications, households, objections } from './db/schema';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * A name as the public notice shows it. Chinese names keep the first character and, from three
 * characters on, the last one: 李四 → 李*, 张三丰 → 张*丰, 欧阳小明 → 欧**明. Other names keep each
 * word's first letter: Zhao Guilan → Z*** G*****. Anything in brackets (a note) is dropped first.
 */
export function maskName(name: string): string {
  const clean = name
    .replace(/[（(][^）)]*[）)]/g, '')
    .trim()
    .replace(/\s+/g, ' ');
  if (!clean) return '—';
  const chars = [...clean];
  if (CJK.test(clean)) {
    const body = chars.filter((c) => c !== ' ' && c !== '·');
    if (body.length === 1) return '*';
    if (body.length === 2) return `${body[0]}*`;
    return `${body[0]}${'*'.repeat(body.length - 2)}${body[body.length - 1]}`;
  }
  return clean
    .split(' ')
    .map((word) => {
      const w = [...word];
      return w.length <= 1 ? '*' : `${w[0]}${'*'.repeat(w.length - 1)}`;
    })
    .join(' ');
}

export interface NoticeEntry {
  application: string;
  area: string;
  areaName: string;
  /** The head of household, masked. */
  name: string;
  category: WelfareCategory;
  categoryZh: string;
  /** Proposed monthly amount, fen; null when the area has no standard or rules in force. */
  proposed: bigint | null;
  /** ms since the epoch: the end of the notice period, from the chain. */
  noticeEnds: number | null;
  openObjections: number;
}

/** Reads the chain's state by key (null when absent). */
export type StateFetch = (key: string) => Promise<Value | undefined>;

function rulesFor(area: Area, period: string) {
  let found: Area['rules'][number] | undefined;
  for (const r of area.rules) if (r.from <= period && (!found || r.from >= found.from)) found = r;
  return found;
}

export const periodAtChina = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);

/**
 * The households under 公示 now, from the read models and the chain's files; `nameOf` gives the
 * clear name of a passport account (only its masked form leaves this function).
 */
export async function publicNotice(
  db: import('@gongxin/db').Database['db'],
  fetchState: StateFetch,
  nameOf: (did: string) => string | undefined,
  opts: { area?: string; now: number },
): Promise<NoticeEntry[]> {
  const rows = await db
    .select({ id: applications.id, household: applications.household, noticeEnds: applications.noticeEnds })
    .from(applications)
    .innerJoin(households, eq(households.id, applications.household))
    .where(eq(applications.step, 'publicised'))
    .orderBy(asc(applications.noticeEnds), asc(applications.id));
  const open = await db
    .select({ application: objections.application, open: objections.open })
    .from(objections);
  const out: NoticeEntry[] = [];
  for (const r of rows) {
    const values = new Map<string, Value>();
    const load = async (key: string) => {
      const v = await fetchState(key);
      if (v !== undefined) values.set(key, v);
    };
    await load(welfareKeys.application(r.id));
    await load(welfareKeys.household(r.household));
    const state = { get: (k: string) => values.get(k) } as unknown as StateReader;
    const app: Application | undefined = applicationOf(state, r.id);
    const household: Household | undefined = householdOf(state, r.household);
    if (!app || !household || app.step !== 'publicised') continue;
    if (opts.area && household.area !== opts.area) continue;
    await load(welfareKeys.area(household.area));
    const area = areaOf(state, household.area);
    const period = periodAtChina(opts.now);
    const standard = area && standardFor(area.standards, period);
    const rules = area && rulesFor(area, period);
    const result =
      standard && rules && app.inputs
        ? meansTest(household.category, app.inputs, standard.standard, rules)
        : undefined;
    const head = household.members[0];
    out.push({
      application: r.id,
      area: household.area,
      areaName: area?.name ?? household.area,
      name: maskName((head && nameOf(head.did)) ?? ''),
      category: household.category,
      categoryZh: WELFARE_CATEGORY_NAMES_ZH[household.category],
      proposed: result ? result.monthly : null,
      noticeEnds: app.noticeEnds ?? r.noticeEnds ?? null,
      openObjections: open.filter((o) => o.application === r.id && o.open).length,
    });
  }
  return out;
}
