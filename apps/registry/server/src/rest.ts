// The HTTP routes beside tRPC, relative to /registry/:
//   GET /api/feed?after=<height>:<index>&limit=&follow=1
//        the change feed as NDJSON, one registry event a line with its `cursor`; with follow=1 the
//        response stays open and streams new changes as blocks commit. A client that stores the cursor of
//        each line it has handled and resumes with `after=` gets every change exactly once.
//   GET /api/certificates/:id/bundle.json   the offline verification bundle: the certificate as the
//        chain holds it, the issuing tx's proof (the issuer's signature and the Merkle path to a block the
//        validators signed) and the validator set to check it against, with the status as of `?at=`
//   GET /api/certificates/:id/qr.svg|png    the QR code of the public verification page
//   GET /api/enterprises/:uscc/credential.json  the company credential (W3C VC 2.0 data model): its
//        subject is the chain's state of the enterprise as of now, its evidence the proof of the
//        registration tx; a verifier re-reads the state key named in credentialStatus
// Bad input is a 4xx naming what was wrong, counted in gongxin_bad_input_total{source="registry"}.
import { type AppServices, sendError } from '@gongxin/app-kit';
import { ChainError } from '@gongxin/client';
import {
  certificateStatusAt,
  checkUscc,
  historyAt,
  inGoodStanding,
  listingStatusOf,
} from '@gongxin/contracts';
import type express from 'express';
import QRCode from 'qrcode';
import { PrefetchedState, viewNow } from './chain-state';
import { holderEndings, withHolder } from './holder-ended';
import { changesAfter } from './router';

const ID = /^[0-9a-f]{64}(:\d{1,4})?$/;
const CURSOR = /^\d{1,15}:\d{1,6}$/;

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

export function registryRoutes(router: express.Router, services: AppServices): void {
  const bad = (res: express.Response, status: number, code: string, message: string) => {
    services.metrics.badInput.inc({ source: 'registry', reason: code });
    sendError(res, status, code, message);
  };
  const db = services.database.db;

  router.get('/api/feed', async (req, res, next) => {
    const after = req.query.after;
    if (after !== undefined && (typeof after !== 'string' || !CURSOR.test(after)))
      return bad(res, 400, 'invalid_params', 'after: a cursor <height>:<index>, e.g. 120:3');
    const limitText = req.query.limit;
    const limit = limitText === undefined ? 1000 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      return bad(res, 400, 'invalid_params', 'limit: a whole number 1–10000');
    const follow = req.query.follow === '1' || req.query.follow === 'true';
    let cursor = after as string | undefined;
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    try {
      res.status(200).setHeader('content-type', 'application/x-ndjson; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.flushHeaders();
      let sent = 0;
      while (!closed) {
        const rows = await changesAfter(db, cursor, Math.min(500, follow ? 500 : limit - sent));
        for (const row of rows) {
          if (closed) break;
          res.write(`${json(row)}\n`);
          cursor = row.cursor;
          sent++;
        }
        if (!follow && (rows.length === 0 || sent >= limit)) break;
        if (rows.length === 0) await new Promise((r) => setTimeout(r, 250));
      }
      res.end();
    } catch (error) {
      if (res.headersSent) res.destroy(error as Error);
      else next(error);
    }
  });

  router.get('/api/certificates/:id/bundle.json', async (req, res, next) => {
    const id = req.params.id;
    if (!ID.test(id)) return bad(res, 400, 'invalid_params', 'id: a certificate id (64 hex, :<n> after)');
    let at = viewNow(services);
    if (req.query.at !== undefined) {
      at = Date.parse(String(req.query.at));
      if (Number.isNaN(at)) return bad(res, 400, 'invalid_params', 'at: a date, ISO 8601 (2026-12-04)');
    }
    try {
      const state = new PrefetchedState(services);
      await state.load([`registry/cert/${id}`]);
      const cert = state.certificate(id);
      if (!cert) return sendError(res, 404, 'not_found', `id: no certificate ${id}`);
      const proof = await services.chain.client.proveTx(cert.txId);
      const tx = await services.chain.client.getTx(cert.txId);
      const validators = await services.chain.client.validatorsAt(Number(tx.height));
      const now = viewNow(services);
      const ended = (await holderEndings(services, [cert.holder])).get(cert.holder);
      res.type('application/json').send(
        json({
          kind: 'gongxin.registry.certificate-bundle/1',
          certificate: cert,
          status: {
            at,
            statusAt: withHolder(certificateStatusAt(cert, at, now), ended, at),
            now,
            statusNow: withHolder(certificateStatusAt(cert, now, now), ended, now),
            history: historyAt(cert, now),
            holderEnded: ended ?? null,
          },
          proof: { tx: cert.txId, height: tx.height, bundle: proof.bundle },
          validators,
        }),
      );
    } catch (error) {
      if (error instanceof ChainError) return sendError(res, 503, 'unavailable', error.message);
      next(error);
    }
  });

  router.get('/api/certificates/:id/qr.:format', async (req, res) => {
    const { id, format } = req.params;
    if (!ID.test(id)) return bad(res, 400, 'invalid_params', 'id: a certificate id (64 hex, :<n> after)');
    if (format !== 'svg' && format !== 'png') return bad(res, 404, 'not_found', 'format: qr.svg or qr.png');
    const url = `${services.publicUrl}/registry/#/verify/${encodeURIComponent(id)}`;
    if (format === 'png')
      res
        .type('image/png')
        .send(await QRCode.toBuffer(url, { type: 'png', margin: 2, width: 400, errorCorrectionLevel: 'M' }));
    else
      res
        .type('image/svg+xml')
        .send(await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }));
  });

  router.get('/api/enterprises/:uscc/credential.json', async (req, res, next) => {
    const r = checkUscc(req.params.uscc);
    if (!r.ok) return bad(res, 400, 'invalid_params', `uscc: ${r.reason}`);
    try {
      const state = new PrefetchedState(services);
      await state.loadEnterprises([r.value.code]);
      const ent = state.enterprise(r.value.code);
      if (!ent || ent.life === 'pending')
        return sendError(res, 404, 'not_found', `uscc: no registered enterprise ${r.value.code}`);
      const now = viewNow(services);
      const proof = await services.chain.client.proveTx(ent.txId);
      res.type('application/vc+ld+json').send(
        json({
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiableCredential', 'EnterpriseRegistrationCredential'],
          issuer: `did:gx:${ent.authority}`,
          validFrom: new Date(ent.time).toISOString(),
          credentialSubject: {
            id: `urn:uscc:${ent.uscc}`,
            uscc: ent.uscc,
            legalName: ent.name,
            previousNames: ent.previousNames,
            legalForm: ent.legalForm,
            registeredCapitalFen: ent.capital,
            legalRepresentative: `did:gx:${ent.representative}`,
            industry: ent.industry,
            establishedOn: ent.establishedOn,
            ...(ent.lei && { lei: ent.lei }),
            life: ent.life,
            listingStatus: listingStatusOf(ent.listings),
            goodStanding: inGoodStanding(state, ent.uscc, now),
            asOf: new Date(now).toISOString(),
          },
          credentialStatus: {
            id: `${services.publicUrl}/registry/api/enterprises/${ent.uscc}/credential.json`,
            type: 'GongxinChainState',
            stateKey: `registry/ent/${ent.uscc}`,
          },
          evidence: [{ type: ['GongxinTxProof'], tx: ent.txId, bundle: proof.bundle }],
        }),
      );
    } catch (error) {
      if (error instanceof ChainError) return sendError(res, 503, 'unavailable', error.message);
      next(error);
    }
  });
}
