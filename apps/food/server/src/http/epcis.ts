// The EPCIS 2.0 REST binding (GS1 EPCIS 2.0 §12, the parts that matter here): capture of a document or a
// CSV file with an organisation's API key, capture status, and the query interface (events, one event by
// hash id, the events of an EPC). Bad input is a 4xx naming what was wrong.
import type { AppServices } from '@gongxin/app-kit';
import { sendError } from '@gongxin/app-kit';
import { eq } from 'drizzle-orm';
import express, { type Request, type Response } from 'express';
import { orgOfApiKey } from '../api-keys';
import { csvToDocument } from '../csv';
import { captures } from '../db/schema';
import { canonicalEpc, EVENT_TYPES } from '../domain';
import type { FoodRuntime } from '../runtime';
import { eventsByHash, pageToken, parsePageToken, queryEvents, type StoredEvent } from '../store';
import { BadRequest, failWith, one } from './common';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const LD_JSON = 'application/ld+json';

function timeParam(value: unknown, name: string): number | undefined {
  const text = one(value, name);
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new BadRequest(`${name}: "${text}" is not a date-time`);
  return t;
}

function queryDocument(list: StoredEvent[], now: number) {
  return {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date(now).toISOString(),
    epcisBody: {
      queryResults: {
        queryName: 'SimpleEventQuery',
        resultsBody: { eventList: list.map((e) => e.row.event) },
      },
    },
  };
}

export function epcisRoutes(router: express.Router, services: AppServices, runtime: FoodRuntime): void {
  const db = services.database.db;
  const base = '/food/';
  const fail = failWith(services);

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
        const report = await runtime.capture(csvToDocument(req.body, runtime.now()), { org, source: 'csv' });
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
      res.type(LD_JSON).send(JSON.stringify(queryDocument(list, runtime.now())));
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
}
