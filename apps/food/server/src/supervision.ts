// Supervision (食品链监管): the app's monitor runs the alert rules (src/domain/alerts.ts) over what a capture
// touched and over consumer scans, keeps its findings with their messages and evidence, raises each on
// chain with the monitor's key (`food.raiseAlert`) and withdraws its own alerts whose evidence was
// declared erroneous (`food.resolveAlert`). Reads are batched: one query for the events of every
// identifier a capture touched, master data and recalls only for the products and lots those events name.
import { createHash, randomUUID } from 'node:crypto';
import { type AppServices, clockOf } from '@gongxin/app-kit';
import { type Account, createWallet, type Wallet } from '@gongxin/client';
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { alerts, findings, locations, products, recalledLots, scans } from './db/schema';
import {
  type Alert,
  type Coordinates,
  coldChainBreaches,
  type FrequencyOptions,
  gtinOf,
  impossibleTravel,
  inspectionFailures,
  lotOf,
  outOfOrderEvents,
  parseEpc,
  recalledStillSold,
  type Scan,
  scanFrequencyAnomalies,
  type TraceEvent,
  type TravelOptions,
} from './domain';
import { SqlEventStore } from './store';

/** A consumer scan of a Digital Link, as the resolver received it. */
export interface ScanInput {
  /** The canonical identifier scanned (an item: GTIN + serial; a lot). */
  epc: string;
  time: number;
  /** Salted hash of the client's IP. */
  ipHash?: string;
  /** Coarse coordinates the scanning client reported, millionths of a degree (both or neither). */
  latE6?: number;
  lonE6?: number;
  /** GLN of the reading point (a shop's scanner, a kiosk), check digit valid. */
  gln?: string;
  /** Nothing is recorded for the scanned code: a sign of a made-up label. */
  unknown?: boolean;
}

/** Thresholds of the counterfeit rules over consumer scans (domain defaults when left out). */
export type ScanRuleOptions = FrequencyOptions & Omit<TravelOptions, 'locate'>;

/**
 * How far back the counterfeit rules look, at least: a day (beyond it, any two places on Earth are reachable),
 * or the frequency window when it is longer.
 */
const SCAN_LOOKBACK_MS = 86_400_000;
/** At most this many of a serial's latest scans are read per check. */
const SCAN_READ_LIMIT = 500;
const SCAN_KINDS = ['impossible_travel', 'scan_frequency'] as const;
/** Most identifiers one supervision pass reads events for. */
const MAX_KEYS = 200;

const findingKey = (alert: Alert) =>
  createHash('sha256')
    .update(`${alert.kind}\n${alert.subject}\n${[...alert.evidence].sort().join(',')}`)
    .digest('hex');

/** An item (GTIN + serial) or a logistic unit: one thing, which cannot be in two places at once. */
function isSerial(epc: string): boolean {
  try {
    const kind = parseEpc(epc).kind;
    return kind === 'sgtin' || kind === 'sscc';
  } catch {
    return false;
  }
}

export class Supervisor {
  private monitorWallet: Wallet | undefined;
  private monitorQueue: Promise<unknown> = Promise.resolve();
  private readonly scanChecks = new Set<Promise<unknown>>();
  /** Thresholds of the counterfeit rules; a deployment may tune them. */
  scanRules: ScanRuleOptions = {};
  /** The deployment clock: scans and findings are set beside block times (an alert's resolution). */
  private readonly now: () => number;

  constructor(
    private readonly services: AppServices,
    readonly monitor: Account | undefined,
  ) {
    this.now = clockOf(services);
  }

  private get db() {
    return this.services.database.db;
  }

  /**
   * Runs the supervision rules over the events of the given identifiers; records new findings and raises
   * them on chain with the monitor's key (when the deployment has one). Returns how many were new.
   * Events declared erroneous count only for the rule about retracted inspections.
   */
  async checkKeys(keys: readonly string[]): Promise<number> {
    const store = new SqlEventStore(this.db);
    const wanted = [...new Set(keys)].slice(0, MAX_KEYS);
    await store.preload(wanted);
    const byId = new Map<string, TraceEvent>();
    for (const key of wanted) for (const e of await store.eventsFor(key)) byId.set(e.id, e);
    const all = [...byId.values()];
    if (all.length === 0) return 0;
    const standing = all.filter((e) => !e.event.errorDeclaration);
    // Master data and recalls of what these events name, not whole tables.
    const gtins = new Set<string>();
    const lots = new Set<string>();
    for (const key of wanted) {
      const gtin = gtinOf(key);
      if (gtin) gtins.add(gtin);
      const lot = lotOf(key);
      if (lot) lots.add(lot);
    }
    const [categoryRows, recallRows] = await Promise.all([
      gtins.size
        ? this.db
            .select({ gtin: products.gtin, category: products.category })
            .from(products)
            .where(inArray(products.gtin, [...gtins]))
        : [],
      lots.size
        ? this.db
            .select({ lot: recalledLots.lot, time: recalledLots.time, id: recalledLots.recallId })
            .from(recalledLots)
            .where(inArray(recalledLots.lot, [...lots]))
        : [],
    ]);
    const categories = new Map(categoryRows.map((p) => [p.gtin, p.category]));
    const found: Alert[] = [
      ...coldChainBreaches(standing, { categoryOf: (gtin) => categories.get(gtin) }),
      ...inspectionFailures(all),
      ...outOfOrderEvents(standing),
      ...recalledStillSold(
        standing,
        recallRows.map((r) => ({ lots: [r.lot], time: r.time, id: r.id })),
      ),
    ];
    return this.record(found.map((alert) => ({ key: findingKey(alert), alert })));
  }

  /**
   * Withdraws the monitor's findings that cite events now declared erroneous: kept as `withdrawn`, and
   * their alerts resolved on chain by the monitor that raised them. Returns how many were withdrawn.
   */
  async withdrawEvidence(hashes: readonly string[]): Promise<number> {
    if (hashes.length === 0) return 0;
    const cited = await this.db
      .select()
      .from(findings)
      .where(
        sql`${findings.evidence} ?| ${sql.raw(`array[${hashes.map((h) => `'${h.replace(/[^0-9a-f]/g, '')}'`).join(',')}]`)}`,
      );
    let withdrawn = 0;
    for (const finding of cited) {
      if (finding.status === 'withdrawn') continue;
      withdrawn++;
      await this.db.update(findings).set({ status: 'withdrawn' }).where(eq(findings.key, finding.key));
      if (finding.alertId && this.monitor) await this.resolve(finding.alertId, finding.evidence, hashes);
    }
    return withdrawn;
  }

  private resolve(
    alertId: string,
    evidence: readonly string[],
    retracted: readonly string[],
  ): Promise<unknown> {
    const gone = evidence.filter((e) => retracted.includes(e));
    return this.queued(async (wallet) => {
      const receipt = await wallet.send([
        {
          contract: 'food',
          name: 'resolveAlert',
          params: {
            id: alertId,
            resolution:
              `证据事件已被声明有误 evidence declared erroneous: ${gone.map((h) => h.slice(0, 16)).join(', ')}`.slice(
                0,
                256,
              ),
          },
        },
      ]);
      if (!receipt.ok)
        this.services.logger.warn(
          { alert: alertId, code: receipt.code },
          'could not withdraw an alert on chain',
        );
    });
  }

  /** Stores findings not seen before (by key) and raises each new one on chain. Returns how many were new. */
  private async record(all: readonly { key: string; alert: Alert }[]): Promise<number> {
    const found = [...new Map(all.map((f) => [f.key, f])).values()];
    if (found.length === 0) return 0;
    const inserted = await this.db
      .insert(findings)
      .values(
        found.map(({ key, alert }) => ({
          key,
          kind: alert.kind,
          subject: alert.subject,
          severity: alert.severity,
          evidence: alert.evidence,
          message: alert.message,
          status: this.monitor ? ('pending' as const) : ('unraised' as const),
          createdAt: this.now(),
        })),
      )
      .onConflictDoNothing()
      .returning({ key: findings.key });
    const fresh = new Set(inserted.map((r) => r.key));
    if (this.monitor) for (const { key, alert } of found) if (fresh.has(key)) await this.raise(key, alert);
    return fresh.size;
  }

  /**
   * Keeps a consumer scan and, for an item (a serial: lots are in many places at once), runs the
   * counterfeit rules over its recent scans in the background (`scansChecked` waits for them). A scan of
   * a code nothing is recorded for is a finding of its own (`unknown_code`). Returns the scan's id
   * (64 hex digits, citable as alert evidence on chain).
   */
  async recordScan(input: ScanInput): Promise<string> {
    const id = createHash('sha256').update(randomUUID()).digest('hex');
    const located = input.latE6 !== undefined && input.lonE6 !== undefined;
    await this.db.insert(scans).values({
      id,
      epc: input.epc,
      time: input.time,
      ipHash: input.ipHash ?? null,
      latE6: located ? input.latE6! : null,
      lonE6: located ? input.lonE6! : null,
      place: input.gln ?? null,
    });
    const background = (work: Promise<unknown>) => {
      const check = work
        .catch((error) =>
          this.services.logger.warn({ err: error, epc: input.epc }, 'could not check the scans of a code'),
        )
        .finally(() => this.scanChecks.delete(check));
      this.scanChecks.add(check);
    };
    if (input.unknown) background(this.unknownCode(input.epc, id));
    if (isSerial(input.epc)) background(this.checkScans(input.epc, input.time));
    return id;
  }

  /**
   * A label whose code nothing is recorded for: one alert per code until a regulator resolves it (the
   * finding's key is the code and how many of its unknown-code alerts were resolved).
   */
  private async unknownCode(epc: string, scanId: string): Promise<number> {
    const resolved = await this.resolvedOf(epc, ['unknown_code']);
    const key = createHash('sha256').update(`unknown_code\n${epc}\nepisode ${resolved.length}`).digest('hex');
    return this.record([
      {
        key,
        alert: {
          kind: 'unknown_code' as Alert['kind'],
          severity: 'warning',
          subject: epc,
          evidence: [scanId],
          message: {
            'zh-CN': `扫到没有任何记录的编码 ${epc}：标签可能是伪造的`,
            en: `A code nothing is recorded for was scanned (${epc}): the label may be counterfeit`,
          },
        },
      },
    ]);
  }

  private resolvedOf(epc: string, kinds: readonly string[]) {
    return this.db
      .select({ kind: findings.kind, resolvedAt: alerts.resolvedAt })
      .from(findings)
      .innerJoin(alerts, eq(alerts.id, findings.alertId))
      .where(
        and(eq(findings.subject, epc), inArray(findings.kind, [...kinds]), eq(alerts.status, 'resolved')),
      );
  }

  /** Resolves when the scan checks started so far are done. */
  async scansChecked(): Promise<void> {
    while (this.scanChecks.size > 0) await Promise.all([...this.scanChecks]);
  }

  /**
   * The counterfeit rules (impossible travel, scan frequency) over the last day of scans of one serial.
   * A serial has at most one alert of each kind until a regulator resolves it: the finding's key is the
   * kind, the serial and how many of its alerts of that kind were resolved, so repeated scans (and checks
   * running side by side) add nothing; after a resolution only later scans count. Returns how many were new.
   */
  async checkScans(epc: string, now: number = this.now()): Promise<number> {
    const rows = await this.db
      .select()
      .from(scans)
      .where(
        and(
          eq(scans.epc, epc),
          gte(scans.time, now - Math.max(SCAN_LOOKBACK_MS, this.scanRules.windowMs ?? 0)),
        ),
      )
      .orderBy(desc(scans.time))
      .limit(SCAN_READ_LIMIT);
    if (rows.length < 2) return 0;
    const resolved = await this.resolvedOf(epc, SCAN_KINDS);
    const glns = [...new Set(rows.map((r) => r.place).filter((g): g is string => !!g))];
    const placeOf = new Map<string, Coordinates>();
    if (glns.length > 0) {
      const located = await this.db
        .select({ gln: locations.gln, latE6: locations.latE6, lonE6: locations.lonE6 })
        .from(locations)
        .where(inArray(locations.gln, glns));
      for (const l of located)
        if (l.latE6 !== null && l.lonE6 !== null)
          placeOf.set(l.gln, { lat: l.latE6 / 1e6, lon: l.lonE6 / 1e6 });
    }
    const list: Scan[] = rows.map((r) => ({
      id: r.id,
      epc: r.epc,
      time: r.time,
      ...(r.place && { gln: r.place }),
      ...(r.latE6 !== null && r.lonE6 !== null && { at: { lat: r.latE6 / 1e6, lon: r.lonE6 / 1e6 } }),
    }));
    const found: { key: string; alert: Alert }[] = [];
    for (const kind of SCAN_KINDS) {
      const done = resolved.filter((r) => r.kind === kind);
      const since = Math.max(Number.NEGATIVE_INFINITY, ...done.map((r) => r.resolvedAt ?? 0));
      const recent = list.filter((s) => (s.time as number) > since);
      const raised =
        kind === 'impossible_travel'
          ? impossibleTravel(recent, { ...this.scanRules, locate: (gln) => placeOf.get(gln) })
          : scanFrequencyAnomalies(recent, this.scanRules);
      // The first pair (or the largest burst) is the evidence; one alert per serial and kind.
      const alert = raised.find((a) => a.subject === epc) ?? raised[0];
      if (!alert) continue;
      const key = createHash('sha256').update(`${kind}\n${epc}\nepisode ${done.length}`).digest('hex');
      found.push({ key, alert: { ...alert, subject: epc } });
    }
    return this.record(found);
  }

  /** Runs chain writes of the monitor one after another (its wallet numbers them). */
  private queued(work: (wallet: Wallet) => Promise<unknown>): Promise<unknown> {
    const run = this.monitorQueue
      .catch(() => undefined)
      .then(() => {
        if (!this.monitor) return undefined;
        this.monitorWallet ??= createWallet(this.services.chain.client, this.monitor);
        return work(this.monitorWallet);
      });
    this.monitorQueue = run;
    return run;
  }

  private raise(key: string, alert: Alert): Promise<unknown> {
    return this.queued(async (wallet) => {
      const evidence = alert.evidence.filter((e) => /^[0-9a-f]{64}$/.test(e)).slice(0, 32);
      if (evidence.length === 0) {
        await this.db.update(findings).set({ status: 'unraised' }).where(eq(findings.key, key));
        return;
      }
      try {
        const receipt = await wallet.send([
          {
            contract: 'food',
            name: 'raiseAlert',
            params: {
              kind: alert.kind,
              subject: alert.subject.slice(0, 200),
              evidence,
              severity: alert.severity,
            },
          },
        ]);
        await this.db
          .update(findings)
          .set(
            receipt.ok
              ? { status: 'raised', alertId: receipt.id }
              : { status: 'failed', error: receipt.code ?? 'failed' },
          )
          .where(eq(findings.key, key));
      } catch (error) {
        this.services.logger.warn({ err: error, finding: key }, 'could not raise an alert on chain');
        await this.db
          .update(findings)
          .set({ status: 'failed', error: (error as Error).message.slice(0, 300) })
          .where(eq(findings.key, key));
      }
    });
  }
}
