// What the copyright app keeps per mount: the similarity index over registered works' codes, the anchor
// outbox with the service keys (evidence anchors), and the evidence capturer (one Chromium, started on the
// first capture). Built once per mount by the module's `setup`: `ctx.app` in procedures, an argument of routes.
import { type AppServices, clockOf, createOutbox, type Outbox } from '@gongxin/app-kit';
import type { Account } from '@gongxin/client';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { eq } from 'drizzle-orm';
import { SimilarityIndex } from './codes';
import { evidence } from './db/schema';
import { anchorEvidence } from './evidence/anchor';
import { CaptureError, EvidenceCapturer } from './evidence/capture';
import type { EvidenceReceipt } from './evidence/verify';
import { demoParty, demoPartyAccounts } from './parties';

export class CopyrightRuntime {
  readonly similarity: SimilarityIndex;
  readonly signers = new Map<string, Account>();
  /** The key evidence anchors are signed with, when the deployment has one. */
  readonly evidenceSigner: string | undefined;
  readonly outbox: Outbox;
  private capturer: Promise<EvidenceCapturer> | null = null;

  constructor(readonly services: AppServices) {
    this.similarity = new SimilarityIndex(services.database);
    const own = services.chain.serviceSigner;
    if (own) this.signers.set(own.address, own);
    else if (services.config.demo) {
      const service = demoParty(demoPartyAccounts(getSuite(services.chain.suite)), 'copyright-service');
      this.signers.set(service.address, service.account);
    }
    this.evidenceSigner = [...this.signers.keys()][0];
    this.outbox = createOutbox({
      name: 'copyright',
      database: services.database,
      client: services.chain.client,
      signers: this.signers,
      logger: services.logger,
      // The same root anchored before: the bundle is on chain already.
      alreadyAnchored: (code) => code === 'already_exists',
    });
  }

  /** Captures a page, stores the bundle and anchors its root at once; answers the receipt. */
  async captureEvidence(
    url: string,
    opts: { workId?: string; requestedBy?: string; publicOnly?: boolean } = {},
  ): Promise<EvidenceReceipt> {
    const signer = this.evidenceSigner;
    if (!signer)
      throw new CaptureError(
        'this deployment has no service key to anchor evidence with',
        503,
        'capture_unavailable',
      );
    this.capturer ??= EvidenceCapturer.launch().catch((error) => {
      this.capturer = null;
      throw error;
    });
    const capture = await (await this.capturer).capture(url, {
      publicOnly: opts.publicOnly ?? true,
      now: clockOf(this.services),
    });
    const db = this.services.database.db;
    await db.insert(evidence).values({
      root: capture.manifest.root,
      url: capture.manifest.url,
      capturedAt: capture.manifest.capturedAt,
      workId: opts.workId ?? null,
      requestedBy: opts.requestedBy ?? null,
      manifest: capture.manifest,
      receipt: null,
      files: Object.fromEntries(capture.files.map((f) => [f.name, Buffer.from(f.bytes).toString('base64')])),
    });
    const receipt = await anchorEvidence(
      { outbox: this.outbox, client: this.services.chain.client, signer },
      capture.manifest,
    );
    await db.update(evidence).set({ receipt }).where(eq(evidence.root, capture.manifest.root));
    return receipt;
  }

  async close(): Promise<void> {
    await this.outbox.stop();
    const capturer = this.capturer;
    this.capturer = null;
    if (capturer) await (await capturer.catch(() => null))?.close();
  }
}
