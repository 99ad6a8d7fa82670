// What the food app keeps per mount: its service signers (one per organisation whose key the deployment
// gives it; the demo organisations' on the embedded default), the anchor outbox, and capture: validate, store,
// anchor, apply EPCIS error declarations, then hand what the capture touched to supervision
// (src/supervision.ts). Built once per mount by the app module's `setup`: procedures reach it as
// `ctx.app`, routes and the demo seed as an argument.
import { type AppServices, clockOf, type Outbox } from '@gongxin/app-kit';
import type { Account } from '@gongxin/client';
import type { Action } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { and, eq, inArray, like } from 'drizzle-orm';
import {
  anchorActions,
  CaptureError,
  createFoodOutbox,
  duplicateFlags,
  type PreparedCapture,
  prepareCapture,
  storeCapture,
} from './capture';
import { eventEpcs, events, orgRoles, products, recalledLots, recalls } from './db/schema';
import { digestOfHashId, eventKeys } from './domain';
import { demoOrgAccounts, type OrgAccount } from './orgs';
import type { CaptureSource, NewEvent } from './store';
import { type ScanInput, type ScanRuleOptions, Supervisor } from './supervision';

export type { ScanInput, ScanRuleOptions } from './supervision';

export interface CaptureReport {
  captureId: string;
  /** Per event, in document order. */
  events: { hash: string; hashId: string; eventId?: string; duplicate: boolean; declaration?: true }[];
  /** Events stored before (or repeated in the document): stored once, anchored once. */
  duplicates: number;
  /** EPCIS error declarations: each marks the event it repeats as erroneous. */
  declarations: number;
  /** Anchoring by the service signer, when the server holds the organisation's key. */
  anchor:
    | { by: 'service'; signer: string; anchored: number; failed: number; declared: number }
    | { by: 'browser'; actions: Action[] };
  alerts: number;
  /** Alerts of the monitor withdrawn because their evidence was declared erroneous. */
  withdrawn: number;
}

/** Most corrective events one declaration names on chain (the contract's MAX_CORRECTIVE_EVENTS). */
const MAX_CORRECTIVE = 16;

export class FoodRuntime {
  readonly orgs: OrgAccount[];
  readonly signers = new Map<string, Account>();
  readonly outbox: Outbox;
  readonly monitor: Account | undefined;
  readonly supervisor: Supervisor;
  /** The deployment clock: capture times and declaration times are checked against block times. */
  readonly now: () => number;

  constructor(readonly services: AppServices) {
    this.now = clockOf(services);
    const suite = getSuite(services.chain.suite);
    this.orgs = services.config.demo ? demoOrgAccounts(suite) : [];
    for (const org of this.orgs) this.signers.set(org.address, org.account);
    const own = services.chain.serviceSigner;
    if (own) this.signers.set(own.address, own);
    this.monitor = this.orgs.find((o) => o.role === 'monitor')?.account ?? own;
    this.outbox = createFoodOutbox({
      database: services.database,
      client: services.chain.client,
      signers: this.signers,
      logger: services.logger,
    });
    this.supervisor = new Supervisor(services, this.monitor);
  }

  /** Thresholds of the counterfeit rules; a deployment may tune them. */
  get scanRules(): ScanRuleOptions {
    return this.supervisor.scanRules;
  }
  set scanRules(rules: ScanRuleOptions) {
    this.supervisor.scanRules = rules;
  }

  /**
   * Validate, store and anchor one EPCIS document for `org`. Throws CaptureError for a document that is
   * not EPCIS 2.0, or that declares erroneous an event another organisation captured. With a service
   * signer for `org` the anchors (and error declarations) are sent and awaited here; otherwise the report
   * carries the actions the organisation's person signs in the browser.
   */
  async capture(
    document: unknown,
    opts: { org: string; source: CaptureSource; now?: number },
  ): Promise<CaptureReport> {
    const signer = this.signers.has(opts.org) ? opts.org : undefined;
    const prepared: PreparedCapture = prepareCapture(document, {
      ...opts,
      now: opts.now ?? this.now(),
      ...(signer && { signer }),
    });
    await this.checkDeclarations(prepared, opts.org);
    const stored = await storeCapture(this.services.database, prepared, signer ? this.outbox : undefined);
    const duplicate = duplicateFlags(prepared.events, stored.inserted);
    const declarations = prepared.events.filter((e) => e.event.errorDeclaration);
    const declareActions = await this.declarationActions(prepared, declarations);
    const report: CaptureReport = {
      captureId: stored.id,
      events: prepared.events.map((e, i) => ({
        hash: e.hash,
        hashId: e.hashId,
        ...(typeof e.event.eventID === 'string' && { eventId: e.event.eventID }),
        duplicate: duplicate[i]!,
        ...(e.event.errorDeclaration && { declaration: true as const }),
      })),
      duplicates: duplicate.filter(Boolean).length,
      declarations: declarations.length,
      anchor: signer
        ? { by: 'service', signer, anchored: 0, failed: 0, declared: 0 }
        : {
            by: 'browser',
            actions: [
              ...anchorActions(prepared.events.filter((e) => stored.inserted.has(e.hash))),
              ...declareActions,
            ],
          },
      alerts: 0,
      withdrawn: 0,
    };
    if (signer) {
      const result = await this.outbox.send(stored.queued);
      const declared = await this.sendDeclarations(signer, declareActions);
      report.anchor = { by: 'service', signer, ...result, declared };
    }
    report.withdrawn = await this.supervisor.withdrawEvidence(declarations.map((d) => d.hash));
    const keys = new Set<string>();
    for (const e of prepared.events) for (const k of eventKeys(e.event)) keys.add(k.key);
    report.alerts = await this.supervisor.checkKeys([...keys]);
    return report;
  }

  /**
   * An error declaration retracts an event of the organisation that captured it; a regulator may
   * declare any. Refused (403) otherwise, before anything is stored.
   */
  private async checkDeclarations(prepared: PreparedCapture, org: string): Promise<void> {
    const declared = prepared.events.filter((e) => e.event.errorDeclaration).map((e) => e.hash);
    if (declared.length === 0) return;
    const db = this.services.database.db;
    const originals = await db
      .select({ hash: events.hash, org: events.org })
      .from(events)
      .where(inArray(events.hash, declared));
    const foreign = originals.filter((o) => o.org !== org);
    if (foreign.length === 0) return;
    const [regulator] = await db
      .select({ role: orgRoles.role })
      .from(orgRoles)
      .where(and(eq(orgRoles.address, org), eq(orgRoles.role, 'regulator')))
      .limit(1);
    if (regulator) return;
    throw new CaptureError(
      `event ${foreign[0]!.hash} was captured by ${foreign[0]!.org}: only that organisation or a regulator may declare it erroneous`,
      [],
      403,
      'event_not_yours',
    );
  }

  /** `food.declareEventError` for each declaration, corrective events named by their hashes. */
  private async declarationActions(
    prepared: PreparedCapture,
    declarations: readonly NewEvent[],
  ): Promise<Action[]> {
    if (declarations.length === 0) return [];
    const byEventId = new Map(
      prepared.events.flatMap((e) =>
        typeof e.event.eventID === 'string' ? [[e.event.eventID, e.hash]] : [],
      ),
    );
    const named = declarations.flatMap((d) => d.event.errorDeclaration?.correctiveEventIDs ?? []);
    const unknown = named.filter((id) => !digestOfHashId(id) && !byEventId.has(id));
    if (unknown.length > 0) {
      const rows = await this.services.database.db
        .select({ eventId: events.eventId, hash: events.hash })
        .from(events)
        .where(inArray(events.eventId, unknown));
      for (const r of rows) if (r.eventId) byEventId.set(r.eventId, r.hash);
    }
    return declarations.map((d) => {
      const declaration = d.event.errorDeclaration!;
      const corrective = (declaration.correctiveEventIDs ?? [])
        .map((id) => digestOfHashId(id) ?? byEventId.get(id))
        .filter((h): h is string => h !== undefined);
      const time = Date.parse(declaration.declarationTime);
      return {
        contract: 'food',
        name: 'declareEventError',
        params: {
          eventHash: d.hash,
          declarationTime: Number.isFinite(time) ? time : this.now(),
          ...(typeof declaration.reason === 'string' && { reason: declaration.reason.slice(0, 256) }),
          corrective: [...new Set(corrective)].slice(0, MAX_CORRECTIVE),
        },
      } as Action;
    });
  }

  /**
   * Sends error declarations with a service signer, after its anchors (a declaration needs its event on
   * chain). They go through the outbox's wallet of that account, so one count numbers all its txs.
   */
  private async sendDeclarations(signer: string, actions: readonly Action[]): Promise<number> {
    const account = this.signers.get(signer);
    if (!account || actions.length === 0) return 0;
    await this.outbox.idle(signer);
    const wallet = this.outbox.wallet(signer);
    let declared = 0;
    for (const action of actions) {
      try {
        const receipt = await wallet.send([action]);
        if (receipt.ok || receipt.code === 'already_exists') declared++;
        else this.services.logger.warn({ code: receipt.code, signer }, 'error declaration refused on chain');
      } catch (error) {
        this.services.logger.warn({ err: error, signer }, 'error declaration not sent');
      }
    }
    return declared;
  }

  /** The supervision rules over the events of these identifiers (see Supervisor.checkKeys). */
  checkKeys(keys: readonly string[]): Promise<number> {
    return this.supervisor.checkKeys(keys);
  }

  /** Keeps a consumer scan and runs the counterfeit rules in the background (Supervisor.recordScan). */
  recordScan(input: ScanInput): Promise<string> {
    return this.supervisor.recordScan(input);
  }

  /** Resolves when the scan checks started so far are done. */
  scansChecked(): Promise<void> {
    return this.supervisor.scansChecked();
  }

  checkScans(epc: string, now?: number): Promise<number> {
    return this.supervisor.checkScans(epc, now);
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
