// The HTTP routes beside tRPC, relative to /food/: the EPCIS 2.0 REST binding (capture, capture status,
// events, events by EPC), CSV upload, the GS1 Digital Link resolver (the consumer page), QR codes and the
// label sheet. Bad input is a 4xx naming what was wrong, counted in `gongxin_bad_input_total`.

import { createHash } from 'node:crypto';
import type { AppServices } from '@gongxin/app-kit';
import { sendError } from '@gongxin/app-kit';
import { eq } from 'drizzle-orm';
import express, { type Request, type Response } from 'express';
import { orgOfApiKey } from './api-keys';
import { CaptureError } from './capture';
import { builtEntry, consumerView, renderConsumerPage, verifyScriptFrom } from './consumer';
import { csvToDocument } from './csv';
import { captures } from './db/schema';
import {
  canonicalEpc,
  EVENT_TYPES,
  Gs1Error,
  type Gs1Key,
  parseGln,
  parseGtin,
  toDigitalLink,
} from './domain';
import { labelSheet, qrPng, qrSvg } from './qr';
import { foodRuntimeOf } from './runtime';
import { eventsByHash, pageToken, parsePageToken, queryEvents, type StoredEvent } from './store';

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const LD_JSON = 'application/ld+json';

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly code = 'bad_request',
  ) {
    super(message);
  }
}

export interface RouteOptions {
  webDist: string;
}

function one(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${name} is given more than once`);
  return value;
}

function timeParam(value: unknown, name: string): number | undefined {
  const text = one(value, name);
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new BadRequest(`${name}: "${text}" is not a date-time`);
  return t;
}

function queryDocument(list: StoredEvent[]) {
  return {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      queryResults: {
        queryName: 'SimpleEventQuery',
        resultsBody: { eventList: list.map((e) => e.row.event) },
      },
    },
  };
}

/** The GS1 key of a Digital Link path's parameters; Gs1Error for a bad check digit or value. */
function keyOf(params: Record<string, string | undefined>): Gs1Key {
  const gtin = parseGtin(params.gtin ?? '');
  if (!gtin.ok) throw new Gs1Error(gtin.reason);
  if (params.serial !== undefined)
    return { kind: 'sgtin', gtin: gtin.value, serial: params.serial, ...(params.lot && { lot: params.lot }) };
  return { kind: 'lgtin', gtin: gtin.value, lot: params.lot ?? '' };
}

const DECIMAL = /^[+-]?\d{1,3}(\.\d{1,12})?$/;

/** A coordinate in degrees from a query parameter, rounded to 0.01° (about 1 km), in millionths. */
function degreesParam(text: string, name: string, limit: number): number {
  const value = DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || Math.abs(value) > limit)
    throw new BadRequest(`${name} is a decimal number of degrees from -${limit} to ${limit}`);
  return Math.round(value * 100) * 10_000 + 0;
}

/**
 * Where a consumer scan happened, from the scanning client: its coarse location (`lat`, `lng`, decimal
 * degrees, both or neither; 0,0 is taken as "unknown") and/or the GLN of a reading point (`gln`).
 * A malformed value is a 400; none is a scan without a place.
 */
export function scanPlaceOf(query: Request['query']): { latE6?: number; lonE6?: number; gln?: string } {
  const lat = one(query.lat, 'lat');
  const lng = one(query.lng, 'lng');
  const glnText = one(query.gln, 'gln');
  const place: { latE6?: number; lonE6?: number; gln?: string } = {};
  if ((lat === undefined) !== (lng === undefined)) throw new BadRequest('give lat and lng together');
  if (lat !== undefined && lng !== undefined) {
    const latE6 = degreesParam(lat, 'lat', 90);
    const lonE6 = degreesParam(lng, 'lng', 180);
    if (latE6 !== 0 || lonE6 !== 0) Object.assign(place, { latE6, lonE6 });
  }
  if (glnText !== undefined) {
    const gln = parseGln(glnText.trim());
    if (!gln.ok) throw new BadRequest(`gln: ${gln.reason}`);
    place.gln = gln.value;
  }
  return place;
}

export function foodRoutes(router: express.Router, services: AppServices, opts: RouteOptions): void {
  const runtime = foodRuntimeOf(services);
  const { database, metrics } = services;
  const db = database.db;
  const base = '/food/';
  let verifyScript: string | undefined | null = null;
  const assets = () => {
    if (verifyScript === null) verifyScript = verifyScriptFrom(opts.webDist, base);
    return { verifyScript, explorerBase: '/explorer/', chainBase: '/chain' };
  };

  const fail = (res: Response, error: unknown, source: string) => {
    if (error instanceof CaptureError) {
      metrics.badInput.inc({ source, reason: 'epcis_invalid' });
      res.status(error.status).json({
        type: 'epcisException:ValidationException',
        title: 'The document is not valid EPCIS 2.0',
        status: error.status,
        detail: error.message,
        issues: error.issues,
      });
      return;
    }
    if (error instanceof BadRequest || error instanceof Gs1Error) {
      const status = error instanceof BadRequest ? error.status : 400;
      metrics.badInput.inc({ source, reason: error instanceof Gs1Error ? 'gs1_key' : 'query' });
      sendError(res, status, error instanceof BadRequest ? error.code : 'bad_gs1_key', error.message);
      return;
    }
    throw error;
  };

  async function orgOf(req: Request): Promise<string> {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m)
      throw new BadRequest(
        'send the organisation’s API key as "Authorization: Bearer <key>"',
        401,
        'unauthorized',
      );
    const org = await orgOfApiKey(db, m[1]!);
    if (!org) throw new BadRequest('unknown or revoked API key', 401, 'unauthorized');
    return org;
  }

  // The explorer's decoder pack for the food contract, at a stable URL (the build names it by content).
  // A redirect rather than the file itself: the build may split the pack into chunks that import each
  // other by relative path, which resolve only from the pack's own URL under /food/assets/.
  router.get('/explorer-decoders.js', (_req, res) => {
    const file = builtEntry(opts.webDist, 'explorer-decoders');
    if (!file) return sendError(res, 404, 'not_found', 'the food web is not built');
    res.setHeader('Cache-Control', 'no-cache');
    res.redirect(302, `${base}${file}`);
  });

  // --- EPCIS 2.0 capture interface
  router.post(
    '/capture',
    express.json({ type: [LD_JSON, 'application/json'], limit: '8mb' }),
    async (req, res) => {
      try {
        const org = await orgOf(req);
        if (!req.is('json') && !req.is(LD_JSON))
          throw new BadRequest(
            'send the EPCIS document as application/ld+json or application/json',
            415,
            'unsupported_media_type',
          );
        const report = await runtime.capture(req.body, { org, source: 'rest' });
        res.status(202).location(`${base}capture/${report.captureId}`).json(report);
      } catch (error) {
        fail(res, error, 'epcis');
      }
    },
  );

  router.post(
    '/capture/csv',
    express.text({ type: ['text/csv', 'text/plain'], limit: '8mb' }),
    async (req, res) => {
      try {
        const org = await orgOf(req);
        if (typeof req.body !== 'string')
          throw new BadRequest('send the CSV as text/csv', 415, 'unsupported_media_type');
        const report = await runtime.capture(csvToDocument(req.body), { org, source: 'csv' });
        res.status(202).location(`${base}capture/${report.captureId}`).json(report);
      } catch (error) {
        fail(res, error, 'csv');
      }
    },
  );

  router.get('/capture/:id', async (req, res) => {
    const [capture] = await db.select().from(captures).where(eq(captures.id, req.params.id)).limit(1);
    if (!capture) return sendError(res, 404, 'not_found', `no capture ${req.params.id}`);
    const stored = await eventsByHash(db, capture.hashes);
    const anchored = [...stored.values()].filter((e) => e.anchor).length;
    res.json({
      captureId: capture.id,
      createdAt: new Date(capture.createdAt).toISOString(),
      running: anchored < stored.size && [...stored.values()].some((e) => !e.anchor && !e.row.anchorError),
      success: [...stored.values()].every((e) => !e.row.anchorError),
      events: capture.hashes.map((h) => {
        const e = stored.get(h);
        return {
          hashId: e?.row.hashId,
          anchored: e?.anchor
            ? { height: e.anchor.height, index: e.anchor.eventIndex, txId: e.anchor.txId }
            : null,
          ...(e?.row.anchorError && { error: e.row.anchorError }),
        };
      }),
    });
  });

  // --- EPCIS 2.0 query interface (the parts that matter here)
  const listEvents = async (req: Request, res: Response, epcs?: string[]) => {
    try {
      const q = req.query;
      const types = one(q.eventType, 'eventType')?.split(',').filter(Boolean);
      for (const t of types ?? [])
        if (!(EVENT_TYPES as readonly string[]).includes(t))
          throw new BadRequest(`eventType: unknown type ${t}`);
      const perPageText = one(q.perPage, 'perPage') ?? '30';
      const perPage = Number(perPageText);
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000)
        throw new BadRequest('perPage is a whole number from 1 to 1000');
      const tokenText = one(q.nextPageToken, 'nextPageToken');
      const after = tokenText ? parsePageToken(tokenText) : undefined;
      if (tokenText && !after) throw new BadRequest('nextPageToken is not one this server gave');
      const match = one(q.MATCH_epc, 'MATCH_epc') ?? one(q.MATCH_anyEPC, 'MATCH_anyEPC');
      const keys = epcs ?? (match ? match.split(',').map((e) => canonicalEpc(e)) : undefined);
      const bizStep = one(q.EQ_bizStep, 'EQ_bizStep');
      const list = await queryEvents(db, {
        ...(types && { eventTypes: types }),
        ...(timeParam(q.GE_eventTime, 'GE_eventTime') !== undefined && {
          from: timeParam(q.GE_eventTime, 'GE_eventTime'),
        }),
        ...(timeParam(q.LT_eventTime, 'LT_eventTime') !== undefined && {
          to: timeParam(q.LT_eventTime, 'LT_eventTime'),
        }),
        ...(bizStep && { bizSteps: bizStep.split(',') }),
        ...(keys && { epcs: { keys, roles: ['object', 'parent', 'child', 'input', 'output', 'lot'] } }),
        ...(after && { after }),
        limit: perPage,
      });
      if (list.length === perPage) {
        const next = new URL(req.originalUrl, 'http://x');
        next.searchParams.set('nextPageToken', pageToken(list.at(-1)!.row));
        res.set('Link', `<${next.pathname}${next.search}>; rel="next"`);
      }
      res.type(LD_JSON).send(JSON.stringify(queryDocument(list)));
    } catch (error) {
      fail(res, error, 'epcis');
    }
  };
  router.get('/events', (req, res) => listEvents(req, res));
  router.get('/epcs/:epc/events', (req, res) => {
    let key: string;
    try {
      key = canonicalEpc(req.params.epc);
    } catch (error) {
      return fail(res, error, 'epcis');
    }
    return listEvents(req, res, [key]);
  });
  router.get('/events/:id', async (req, res) => {
    const id = req.params.id;
    const digest = /^[0-9a-f]{64}$/i.test(id)
      ? id.toLowerCase()
      : /^ni:\/\/\/sha-256;([0-9a-f]{64})/i.exec(id)?.[1];
    if (!digest) return sendError(res, 404, 'not_found', `no event ${id}`);
    const found = (await eventsByHash(db, [digest])).get(digest.toLowerCase());
    if (!found) return sendError(res, 404, 'not_found', `no event ${id}`);
    res.type(LD_JSON).send(
      JSON.stringify({
        '@context': found.row.context ?? [EPCIS_CONTEXT],
        ...(found.row.event as Record<string, unknown>),
      }),
    );
  });

  // --- GS1 Digital Link: the consumer page, and QR codes
  const consumer = async (req: Request, res: Response) => {
    let key: Gs1Key;
    let place: ReturnType<typeof scanPlaceOf>;
    try {
      key = keyOf(req.params as Record<string, string>);
      place = scanPlaceOf(req.query);
    } catch (error) {
      return fail(res, error, 'digital_link');
    }
    const view = await consumerView(runtime, key, `${services.publicUrl}/food`);
    // A scan, for the counterfeit rules (the IP only salted and hashed). An item is its GTIN and serial,
    // whichever lot its link names.
    await runtime
      .recordScan({
        epc: toDigitalLink(
          key.kind === 'sgtin' ? { kind: 'sgtin', gtin: key.gtin, serial: key.serial } : key,
        ),
        time: Date.now(),
        ipHash: createHash('sha256')
          .update(`${services.suiteSecret}:${req.ip ?? ''}`)
          .digest('hex'),
        ...place,
      })
      .catch((error) => services.logger.warn({ err: error }, 'could not record a scan'));
    if (view.events === 0 && !view.product) {
      res.status(404);
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(renderConsumerPage(view, assets()));
  };
  router.get('/01/:gtin/10/:lot', consumer);
  router.get('/01/:gtin/21/:serial', consumer);
  router.get('/01/:gtin/10/:lot/21/:serial', consumer);

  const qr = async (req: Request, res: Response) => {
    try {
      const key = keyOf(req.params as Record<string, string>);
      const uri = toDigitalLink(key, `${services.publicUrl}/food`);
      const format = one(req.query.format, 'format') ?? 'png';
      if (format === 'svg') return res.type('image/svg+xml').send(await qrSvg(uri));
      if (format !== 'png') throw new BadRequest('format is png or svg');
      const size = Number(one(req.query.size, 'size') ?? 320);
      if (!Number.isInteger(size) || size < 64 || size > 2048) throw new BadRequest('size is 64–2048 pixels');
      res.type('image/png').send(await qrPng(uri, size));
    } catch (error) {
      fail(res, error, 'digital_link');
    }
  };
  router.get('/qr/01/:gtin/10/:lot', qr);
  router.get('/qr/01/:gtin/21/:serial', qr);

  router.get('/labels', async (req, res) => {
    try {
      const wanted = req.query.epc === undefined ? [] : ([] as unknown[]).concat(req.query.epc);
      if (wanted.some((w) => typeof w !== 'string')) throw new BadRequest('epc is a Digital Link or EPC URI');
      const epcs = (wanted as string[]).slice(0, 60).map((e) => canonicalEpc(e));
      const keys = epcs.length > 0 ? epcs : await runtime.labelLots(30);
      const products = await runtime.productNames();
      const labels = keys.map((k) => {
        const m = /\/01\/(\d{14})(?:\/10\/([^/]+))?(?:\/21\/([^/]+))?/.exec(k);
        const gtin = m?.[1] ?? '';
        const lot = m?.[2] ? decodeURIComponent(m[2]) : undefined;
        const serial = m?.[3] ? decodeURIComponent(m[3]) : undefined;
        return {
          uri: k.replace('https://id.gs1.org', `${services.publicUrl}/food`),
          title: products.get(gtin) ?? `GTIN ${gtin}`,
          lines: [`(01) ${gtin}`, ...(lot ? [`(10) ${lot}`] : []), ...(serial ? [`(21) ${serial}`] : [])],
        };
      });
      res.type('html').send(await labelSheet(labels, '食品溯源标签 Food traceability labels'));
    } catch (error) {
      fail(res, error, 'digital_link');
    }
  });
}
