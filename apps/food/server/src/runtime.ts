// What the food app keeps per mount: its service signers (one per organisation whose key the deployment
// gives it; the demo organisations' on the embedded default), the anchorer and the monitor. Routes and
// procedures reach it through `foodRuntimeOf(services)`.
import { createHash, randomUUID } from 'node:crypto';
import type { AppServices } from '@gongxin/app-kit';
import { type Account, createWallet, type Wallet } from '@gongxin/client';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { and, desc, eq, gte, inArray, like } from 'drizzle-orm';
import {
  Anchorer,
  anchorActions,
  type PreparedCapture,
  prepareCapture,
  type StoredCapture,
  storeCapture,
} from './capture';
import { alerts, eventEpcs, findings, locations, products, recalledLots, recalls, scans } from './db/schema';
import {
  type Alert,
  type Coordinates,
  coldChainBreaches,
  eventKeys,
  type FrequencyOptions,
  impossibleTravel,
  inspectionFailures,
  outOfOrderEvents,
  parseEpc,
  recalledStillSold,
  type Scan,
  scanFrequencyAnomalies,
  type TraceEvent,
  type TravelOptions,
} from './domain';
import { demoOrgAccounts, type OrgAccount } from './orgs';
import { type CaptureSource, SqlEventStore } from './store';

export interface CaptureReport {
  captureId: string;
  /** Per event, in document order. */
  events: { hash: string; hashId: string; eventId?: string; duplicate: boolean }[];
  duplicates: number;
  /** Anchoring by the service signer, when the server holds the organisation's key. */
  anchor:
    | { by: 'service'; signer: string; anchored: number; failed: number }
    | { by: 'browser'; actions: ReturnType<typeof anchorActions> };
  alerts: number;
}

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

const findingKey = (alert: Alert) =>
  createHash('sha256')
    .update(`${alert.kind}\n${alert.subject}\n${[...alert.evidence].sort().join(',')}`)
    .digest('hex');

export class FoodRuntime {
  readonly orgs: OrgAccount[];
  readonly signers = new Map<string, Account>();
  readonly anchorer: Anchorer;
  readonly monitor: Account | undefined;
  private monitorWallet: Wallet | undefined;
  private monitorQueue: Promise<unknown> = Promise.resolve();
  private readonly scanChecks = new Set<Promise<unknown>>();
  /** Thresholds of the counterfeit rules; a deployment may tune them. */
  scanRules: ScanRuleOptions = {};

  constructor(readonly services: AppServices) {
    const suite = getSuite(services.chain.suite);
    this.orgs = services.config.demo ? demoOrgAccounts(suite) : [];
    for (const org of this.orgs) this.signers.set(org.address, org.account);
    const own = services.chain.serviceSigner;
    if (own) this.signers.set(own.address, own);
    this.monitor = this.orgs.find((o) => o.role === 'monitor')?.account ?? own;
    this.anchorer = new Anchorer({
      database: services.database,
      client: services.chain.client,
      signers: this.signers,
      logger: services.logger,
    });
  }

  /**
   * Validate, store and anchor one EPCIS document for `org`. Throws CaptureError for a document that is
   * not EPCIS 2.0. With a service signer for `org` the anchors are sent and awaited here; otherwise the
   * report carries the actions the organisation's person signs in the browser.
   */
  async capture(
    document: unknown,
    opts: { org: string; source: CaptureSource; now?: number },
  ): Promise<CaptureReport> {
    const signer = this.signers.has(opts.org) ? opts.org : undefined;
    const prepared: PreparedCapture = prepareCapture(document, { ...opts, ...(signer && { signer }) });
    const stored: StoredCapture = await storeCapture(this.services.database, prepared);
    const seen = new Set<string>();
    const report: CaptureReport = {
      captureId: stored.id,
      events: prepared.events.map((e) => {
        const duplicate = seen.has(e.hash);
        seen.add(e.hash);
        return {
          hash: e.hash,
          hashId: e.hashId,
          ...(typeof e.event.eventID === 'string' && { eventId: e.event.eventID }),
          duplicate,
        };
      }),
      duplicates: stored.duplicates,
      anchor: signer
        ? { by: 'service', signer, anchored: 0, failed: 0 }
        : { by: 'browser', actions: anchorActions(prepared.events) },
      alerts: 0,
    };
    if (signer) {
      const result = await this.anchorer.anchor(signer, stored.hashes);
      report.anchor = { by: 'service', signer, ...result };
    }
    const keys = new Set<string>();
    for (const e of prepared.events) for (const k of eventKeys(e.event)) keys.add(k.key);
    report.alerts = await this.checkKeys([...keys]);
    return report;
  }

  /**
   * Runs the supervision rules over the events of the given identifiers; records new findings and raises
   * them on chain with the monitor's key (when the deployment has one). Returns how many were new.
   */
  async checkKeys(keys: readonly string[]): Promise<number> {
    const db = this.services.database.db;
    const store = new SqlEventStore(db);
    const byId = new Map<string, TraceEvent>();
    for (const key of keys.slice(0, 200)) for (const e of await store.eventsFor(key)) byId.set(e.id, e);
    const list = [...byId.values()];
    if (list.length === 0) return 0;
    const categories = new Map(
      (await db.select({ gtin: products.gtin, category: products.category }).from(products)).map((p) => [
        p.gtin,
        p.category,
      ]),
    );
    const recallRows = await db
      .select({ lot: recalledLots.lot, time: recalledLots.time, id: recalledLots.recallId })
      .from(recalledLots);
    const found: Alert[] = [
      ...coldChainBreaches(list, { categoryOf: (gtin) => categories.get(gtin) }),
      ...inspectionFailures(list),
      ...outOfOrderEvents(list),
      ...recalledStillSold(
        list,
        recallRows.map((r) => ({ lots: [r.lot], time: r.time, id: r.id })),
      ),
    ];
    return this.record(found.map((alert) => ({ key: findingKey(alert), alert })));
  }

  /** Stores findings not seen before (by key) and raises each new one on chain. Returns how many were new. */
  private async record(found: readonly { key: string; alert: Alert }[]): Promise<number> {
    const db = this.services.database.db;
    let fresh = 0;
    for (const { key, alert } of found) {
      const inserted = await db
        .insert(findings)
        .values({
          key,
          kind: alert.kind,
          subject: alert.subject,
          severity: alert.severity,
          evidence: alert.evidence,
          message: alert.message,
          status: this.monitor ? 'pending' : 'unraised',
          createdAt: Date.now(),
        })
        .onConflictDoNothing()
        .returning({ key: findings.key });
      if (inserted.length === 0) continue;
      fresh++;
      if (this.monitor) await this.raise(key, alert);
    }
    return fresh;
  }

  /**
   * Keeps a consumer scan and, for an item (a serial: lots are in many places at once), runs the
   * counterfeit rules over its recent scans in the background (`scansChecked` waits for them). Returns the
   * scan's id (64 hex digits, citable as alert evidence on chain).
   */
  async recordScan(input: ScanInput): Promise<string> {
    const id = createHash('sha256').update(randomUUID()).digest('hex');
    const located = input.latE6 !== undefined && input.lonE6 !== undefined;
    await this.services.database.db.insert(scans).values({
      id,
      epc: input.epc,
      time: input.time,
      ipHash: input.ipHash ?? null,
      latE6: located ? input.latE6! : null,
      lonE6: located ? input.lonE6! : null,
      place: input.gln ?? null,
    });
    if (isSerial(input.epc)) {
      const check = this.checkScans(input.epc, input.time)
        .catch((error) =>
          this.services.logger.warn({ err: error, epc: input.epc }, 'could not check the scans of an item'),
        )
        .finally(() => this.scanChecks.delete(check));
      this.scanChecks.add(check);
    }
    return id;
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
  async checkScans(epc: string, now: number = Date.now()): Promise<number> {
    const db = this.services.database.db;
    const rows = await db
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
    const resolved = await db
      .select({ kind: findings.kind, resolvedAt: alerts.resolvedAt })
      .from(findings)
      .innerJoin(alerts, eq(alerts.id, findings.alertId))
      .where(
        and(
          eq(findings.subject, epc),
          inArray(findings.kind, [...SCAN_KINDS]),
          eq(alerts.status, 'resolved'),
        ),
      );
    const glns = [...new Set(rows.map((r) => r.place).filter((g): g is string => !!g))];
    const placeOf = new Map<string, Coordinates>();
    if (glns.length > 0) {
      const located = await db
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

  private raise(key: string, alert: Alert): Promise<unknown> {
    const run = this.monitorQueue
      .catch(() => undefined)
      .then(async () => {
        const db = this.services.database.db;
        const evidence = alert.evidence.filter((e) => /^[0-9a-f]{64}$/.test(e)).slice(0, 32);
        if (evidence.length === 0 || !this.monitor) {
          await db.update(findings).set({ status: 'unraised' }).where(eq(findings.key, key));
          return;
        }
        this.monitorWallet ??= createWallet(this.services.chain.client, this.monitor);
        try {
          const receipt = await this.monitorWallet.send([
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
          await db
            .update(findings)
            .set(
              receipt.ok
                ? { status: 'raised', alertId: receipt.id }
                : { status: 'failed', error: receipt.code ?? 'failed' },
            )
            .where(eq(findings.key, key));
        } catch (error) {
          this.services.logger.warn({ err: error, finding: key }, 'could not raise an alert on chain');
          await db
            .update(findings)
            .set({ status: 'failed', error: (error as Error).message.slice(0, 300) })
            .where(eq(findings.key, key));
        }
      });
    this.monitorQueue = run;
    return run;
  }

  /** Lots recently named in events (for the label sheet), canonical Digital Links. */
  async labelLots(limit: number): Promise<string[]> {
    const rows = await this.services.database.db
      .selectDistinct({ epc: eventEpcs.epc })
      .from(eventEpcs)
      .where(
        and(
          like(eventEpcs.epc, 'https://id.gs1.org/01/%/10/%'),
          inArray(eventEpcs.role, ['object', 'output']),
        ),
      )
      .limit(limit);
    return rows.map((r) => r.epc);
  }

  async productNames(): Promise<Map<string, string>> {
    const rows = await this.services.database.db
      .select({ gtin: products.gtin, name: products.name })
      .from(products);
    return new Map(rows.map((r) => [r.gtin, r.name]));
  }

  /** Recalls naming or flagging any of these lots (canonical). */
  async recallsOf(lots: readonly string[]) {
    if (lots.length === 0) return [];
    const db = this.services.database.db;
    return db
      .select({
        id: recalls.id,
        lot: recalledLots.lot,
        source: recalledLots.source,
        reason: recalls.reason,
        time: recalls.time,
        height: recalls.height,
        txId: recalls.txId,
      })
      .from(recalledLots)
      .innerJoin(recalls, eq(recalls.id, recalledLots.recallId))
      .where(and(inArray(recalledLots.lot, lots as string[])));
  }
}

/** An item (GTIN + serial) or a logistic unit: one thing, which cannot be in two places at once. */
function isSerial(epc: string): boolean {
  try {
    const kind = parseEpc(epc).kind;
    return kind === 'sgtin' || kind === 'sscc';
  } catch {
    return false;
  }
}

const runtimes = new WeakMap<AppServices, FoodRuntime>();

export function foodRuntimeOf(services: AppServices): FoodRuntime {
  let runtime = runtimes.get(services);
  if (!runtime) {
    runtime = new FoodRuntime(services);
    runtimes.set(services, runtime);
  }
  return runtime;
}
