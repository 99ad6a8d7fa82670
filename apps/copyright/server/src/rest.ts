// The HTTP routes beside tRPC, relative to /copyright/:
//   POST /api/files                      upload a work's file (raw body, Content-Type one of the accepted
//                                        types, at most MAX_UPLOAD_BYTES); the server computes its codes
//   GET  /api/files/:sha256              the stored file's codes and metadata
//   GET  /api/files/:sha256/content      the original of a registered work's file (the verify page)
//   GET  /api/works/:id/certificate.pdf  the registration certificate, from the chain's state of the work
//   GET  /verify/:id                     where the certificate's QR code points: the web's verify page
//   GET  /explorer-decoders.js           the explorer's decoder pack (a redirect to the built file)
//   GET  /api/evidence/:root/receipt.json  an evidence capture's offline receipt
//   GET  /api/evidence/:root/files/:name   one file of the capture, byte for byte as hashed
// Bad input is a 4xx naming what was wrong, counted in gongxin_bad_input_total{source="copyright"}.
import { existsSync, readFileSync } from 'node:fs';
import { type AppServices, clockOf, sendError } from '@gongxin/app-kit';
import { ChainError } from '@gongxin/client';
import type { WorkCategory } from '@gongxin/contracts';
import { toHex } from '@gongxin/ledger';
import { sha256 } from '@gongxin/ledger/crypto';
import { and, eq, sql } from 'drizzle-orm';
import express from 'express';
import { certificatePdf } from './certificate/pdf';
import { computeCodes, UPLOAD_MEDIA_TYPES, UploadError } from './codes';
import { evidence, files, works } from './db/schema';
import type { BundleManifest } from './evidence/bundle';

/** Works' files are originals (photographs, manuscripts): 20 MiB each at most. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;
const WORK_ID = /^[0-9a-f]{64}(:\d{1,4})?$/;

interface ChainWork {
  id: string;
  title: string;
  category: WorkCategory;
  status: 'pending' | 'registered' | 'rejected';
  regNo?: string;
  authors: { address: string }[];
  holdings: { owners: { address: string; share: number }[] }[];
  createdAt: number;
  publishedAt?: number;
  files: { hash: string; codes: string[]; tool: string }[];
  protectionUntil: number | null;
  at: number;
  time: number;
  txId: string;
}

/** A built entry's file under the web's dist, from Vite's manifest (the build names files by content). */
function builtEntry(webDist: string, name: string): string | undefined {
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

export function copyrightRoutes(
  router: express.Router,
  services: AppServices,
  opts: { webDist?: string } = {},
): void {
  const bad = (res: express.Response, status: number, code: string, message: string) => {
    services.metrics.badInput.inc({ source: 'copyright', reason: code });
    sendError(res, status, code, message);
  };
  const raw = express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES });

  // The explorer's decoder pack for the copyright contract, at a stable URL: a redirect to the built file,
  // so chunks it may import resolve from its own URL under /copyright/assets/.
  router.get('/explorer-decoders.js', (_req, res) => {
    const file = opts.webDist ? builtEntry(opts.webDist, 'explorer-decoders') : undefined;
    if (!file) return sendError(res, 404, 'not_found', 'the copyright web is not built');
    res.setHeader('Cache-Control', 'no-cache');
    res.redirect(302, `/copyright/${file}`);
  });

  router.post('/api/files', (req, res, next) => {
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(UPLOAD_MEDIA_TYPES as readonly string[]).includes(mediaType))
      return bad(
        res,
        415,
        'unsupported_media_type',
        `content-type: ${mediaType || '(none)'} is not accepted; send one of ${UPLOAD_MEDIA_TYPES.join(', ')}`,
      );
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES)
      return bad(res, 413, 'too_large', `file: ${declared} bytes is over the ${MAX_UPLOAD_BYTES}-byte limit`);
    raw(req, res, (error?: unknown) => {
      if (error) {
        const e = error as { status?: number; type?: string; message?: string };
        if (e.type === 'entity.too.large')
          return bad(res, 413, 'too_large', `file: over the ${MAX_UPLOAD_BYTES}-byte limit`);
        return bad(
          res,
          e.status && e.status < 500 ? e.status : 400,
          'bad_body',
          `file: ${e.message ?? 'unreadable body'}`,
        );
      }
      const body = req.body as unknown;
      const bytes = Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array(0);
      const name = typeof req.query.name === 'string' ? req.query.name.slice(0, 200) : null;
      void (async () => {
        try {
          const computed = await computeCodes(bytes, mediaType);
          const digest = toHex(sha256(bytes));
          await services.database.db
            .insert(files)
            .values({
              sha256: digest,
              mediaType,
              size: bytes.length,
              name,
              bytes,
              codes: computed.codes,
              tool: computed.tool,
              uploadedBy: null,
              uploadedAt: clockOf(services)(),
            })
            .onConflictDoNothing();
          res.status(201).json({
            sha256: digest,
            mediaType,
            size: bytes.length,
            codes: computed.codes,
            content: computed.content ?? null,
            tool: computed.tool,
          });
        } catch (error) {
          if (error instanceof UploadError) return bad(res, error.status, 'bad_file', error.message);
          next(error);
        }
      })();
    });
  });

  router.get('/api/files/:sha256', async (req, res, next) => {
    const digest = String(req.params.sha256);
    if (!SHA256.test(digest)) return bad(res, 400, 'bad_sha256', 'sha256: 64 lowercase hex digits');
    try {
      const [row] = await services.database.db
        .select({
          sha256: files.sha256,
          mediaType: files.mediaType,
          size: files.size,
          name: files.name,
          codes: files.codes,
          tool: files.tool,
          uploadedAt: files.uploadedAt,
        })
        .from(files)
        .where(eq(files.sha256, digest));
      if (!row) return sendError(res, 404, 'not_found', `no uploaded file ${digest}`);
      res.json(row);
    } catch (error) {
      next(error);
    }
  });

  // The original of a registered work's file, for the public verify page to recompute its hash and
  // content code in the browser. Files of pending or rejected works stay with the applicant.
  router.get('/api/files/:sha256/content', async (req, res, next) => {
    const digest = String(req.params.sha256);
    if (!SHA256.test(digest)) return bad(res, 400, 'bad_sha256', 'sha256: 64 lowercase hex digits');
    try {
      const [row] = await services.database.db
        .select({ mediaType: files.mediaType, bytes: files.bytes })
        .from(files)
        .where(eq(files.sha256, digest));
      const [registered] = row
        ? await services.database.db
            .select({ id: works.id })
            .from(works)
            .where(and(eq(works.status, 'registered'), sql`${works.files} ? ${digest}`))
            .limit(1)
        : [];
      if (!row || !registered)
        return sendError(res, 404, 'not_found', `no file ${digest} of a registered work`);
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Disposition', `attachment; filename="${digest}"`);
      res.setHeader('X-Media-Type', row.mediaType);
      res.send(Buffer.from(row.bytes));
    } catch (error) {
      next(error);
    }
  });

  // The certificate's QR code opens /copyright/verify/<work id>: the web's public verify page.
  router.get('/verify/:id', (req, res) => {
    const id = String(req.params.id);
    if (!WORK_ID.test(id))
      return bad(res, 400, 'bad_work_id', 'id: a work id is a tx id (64 hex), with :<n> after the first');
    res.redirect(302, `/copyright/#/verify/${id}`);
  });

  router.get('/api/works/:id/certificate.pdf', async (req, res, next) => {
    const id = String(req.params.id);
    if (!WORK_ID.test(id))
      return bad(res, 400, 'bad_work_id', 'id: a work id is a tx id (64 hex), with :<n> after the first');
    try {
      let work: ChainWork;
      try {
        work = (await services.chain.client.state(`copyright/work/${id}`)).value as unknown as ChainWork;
      } catch (error) {
        if (error instanceof ChainError && error.code === 'not_found')
          return sendError(res, 404, 'not_found', `no work ${id} on chain`);
        if (error instanceof ChainError) return sendError(res, 503, 'chain_unavailable', error.message);
        throw error;
      }
      const owners = new Map<string, number>();
      // A certificate names the owners of the whole work as registered: the first holding's.
      for (const o of work.holdings[0]?.owners ?? []) owners.set(o.address, o.share);
      const pdf = await certificatePdf({
        workId: work.id,
        title: work.title,
        category: work.category,
        ...(work.regNo !== undefined && { regNo: work.regNo }),
        status: work.status,
        authors: work.authors.map((a) => ({ address: a.address })),
        owners: [...owners].map(([address, share]) => ({ address, share })),
        createdAt: work.createdAt,
        ...(work.publishedAt !== undefined && { publishedAt: work.publishedAt }),
        registeredAt: work.time,
        height: work.at,
        txId: work.txId,
        chainId: services.chain.chainId,
        ...(work.status === 'registered' && { protectionUntil: work.protectionUntil }),
        files: work.files.map((f) => ({
          sha256: f.hash,
          codes: f.codes.map((iscc) => ({ iscc, tool: f.tool })),
        })),
        verifyUrl: `${services.publicUrl}/copyright/verify/${encodeURIComponent(work.id)}`,
      });
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `inline; filename="certificate-${work.id.slice(0, 16)}.pdf"`);
      res.send(Buffer.from(pdf));
    } catch (error) {
      next(error);
    }
  });

  const evidenceRow = async (res: express.Response, root: string) => {
    if (!SHA256.test(root)) {
      bad(res, 400, 'bad_root', 'root: 64 lowercase hex digits');
      return null;
    }
    const [row] = await services.database.db.select().from(evidence).where(eq(evidence.root, root));
    if (!row) sendError(res, 404, 'not_found', `no evidence ${root}`);
    return row ?? null;
  };

  router.get('/api/evidence/:root/receipt.json', async (req, res, next) => {
    try {
      const row = await evidenceRow(res, String(req.params.root));
      if (!row) return;
      if (!row.receipt)
        return sendError(res, 404, 'not_anchored', `evidence ${row.root} is not anchored yet`);
      res.setHeader('Content-Disposition', 'attachment; filename="receipt.json"');
      res.json(row.receipt);
    } catch (error) {
      next(error);
    }
  });

  router.get('/api/evidence/:root/files/:name', async (req, res, next) => {
    try {
      const row = await evidenceRow(res, String(req.params.root));
      if (!row) return;
      const name = String(req.params.name);
      const entry = (row.manifest as BundleManifest).files.find((f) => f.name === name);
      const b64 = row.files[name];
      if (!entry || b64 === undefined)
        return sendError(res, 404, 'not_found', `no file ${name} in evidence ${row.root}`);
      // As an attachment of its recorded type: a captured page is never rendered under the app's origin.
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
      res.setHeader('X-Content-SHA256', entry.sha256);
      res.send(Buffer.from(b64, 'base64'));
    } catch (error) {
      next(error);
    }
  });
}
