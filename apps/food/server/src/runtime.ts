// What the food app keeps per mount: its service signers (one per organisation whose key the deployment
// gives it; the demo organisations' on the embedded default), the anchorer and the monitor. Routes and
// procedures reach it through `foodRuntimeOf(services)`.
import { createHash } from 'node:crypto';
import type { AppServices } from '@gongxin/app-kit';
import { type Account, createWallet, type Wallet } from '@gongxin/client';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { and, eq, inArray, like } from 'drizzle-orm';
import {
  Anchorer,
  anchorActions,
  type PreparedCapture,
  prepareCapture,
  type StoredCapture,
  storeCapture,
} from './capture';
import { eventEpcs, findings, products, recalledLots, recalls } from './db/schema';
import {
  type Alert,
  coldChainBreaches,
  eventKeys,
  inspectionFailures,
  outOfOrderEvents,
  recalledStillSold,
  type TraceEvent,
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

export class FoodRuntime {
  readonly orgs: OrgAccount[];
  readonly signers = new Map<string, Account>();
  readonly anchorer: Anchorer;
  readonly monitor: Account | undefined;
  private monitorWallet: Wallet | undefined;
  private monitorQueue: Promise<unknown> = Promise.resolve();

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
    let fresh = 0;
    for (const alert of found) {
      const key = createHash('sha256')
        .update(`${alert.kind}\n${alert.subject}\n${[...alert.evidence].sort().join(',')}`)
        .digest('hex');
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

const runtimes = new WeakMap<AppServices, FoodRuntime>();

export function foodRuntimeOf(services: AppServices): FoodRuntime {
  let runtime = runtimes.get(services);
  if (!runtime) {
    runtime = new FoodRuntime(services);
    runtimes.set(services, runtime);
  }
  return runtime;
}
