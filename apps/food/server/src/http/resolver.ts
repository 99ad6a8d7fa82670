// The GS1 Digital Link resolver: `/01/{gtin}/10/{lot}`, `/01/{gtin}/21/{serial}` and both, answered with
// the consumer page in the consumer's language. Every scan is kept for the counterfeit rules, a scan of a
// code nothing is recorded for among them. A malformed link or parameter is a page too (400, in words),
// never JSON on a phone.
import { createHash } from 'node:crypto';
import type { AppServices } from '@gongxin/app-kit';
import type express from 'express';
import type { Request, Response } from 'express';
import {
  consumerLocale,
  consumerView,
  type PageAssets,
  renderConsumerError,
  renderConsumerPage,
} from '../consumer';
import { Gs1Error, type Gs1Key, parseDigitalLink, parseGln, toDigitalLink } from '../domain';
import type { FoodRuntime } from '../runtime';
import { BadRequest, one } from './common';

/**
 * The GS1 key of a Digital Link path's parameters, read by the suite's one GS1 validator (check digit,
 * character set and length of lot and serial); Gs1Error naming what is wrong.
 */
export function keyOf(params: Record<string, string | undefined>): Gs1Key {
  const path = [
    `/01/${encodeURIComponent(params.gtin ?? '')}`,
    ...(params.lot !== undefined ? [`/10/${encodeURIComponent(params.lot)}`] : []),
    ...(params.serial !== undefined ? [`/21/${encodeURIComponent(params.serial)}`] : []),
  ].join('');
  return parseDigitalLink(`https://id.gs1.org${path}`).key;
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

/** Chinese for the query parameter problems a consumer can meet. */
function zhOf(message: string): string {
  if (message.startsWith('give lat and lng')) return '经纬度参数 lat 和 lng 需要同时提供';
  if (message.startsWith('lat is')) return '纬度参数 lat 应为 -90 到 90 之间的度数';
  if (message.startsWith('lng is')) return '经度参数 lng 应为 -180 到 180 之间的度数';
  if (message.startsWith('gln:')) return `地点参数 gln 有误：${message.slice(5)}`;
  if (message.includes('more than once')) return `参数重复：${message}`;
  return message;
}

export function resolverRoutes(
  router: express.Router,
  services: AppServices,
  runtime: FoodRuntime,
  assets: () => PageAssets,
): void {
  const consumer = async (req: Request, res: Response) => {
    const locale = consumerLocale(req.query.lang, req.get('accept-language'));
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Language', locale);
    let key: Gs1Key;
    let place: ReturnType<typeof scanPlaceOf>;
    try {
      key = keyOf(req.params as Record<string, string>);
      place = scanPlaceOf(req.query);
    } catch (error) {
      if (!(error instanceof BadRequest || error instanceof Gs1Error)) throw error;
      services.metrics.badInput.inc({
        source: 'digital_link',
        reason: error instanceof Gs1Error ? 'gs1_key' : 'query',
      });
      const detail =
        error instanceof Gs1Error
          ? { en: error.message, zh: error.zh }
          : { en: error.message, zh: zhOf(error.message) };
      res
        .status(400)
        .type('html')
        .send(renderConsumerError(detail, locale, req.originalUrl));
      return;
    }
    const view = await consumerView(runtime, key, `${services.publicUrl}/food`);
    // A scan, for the counterfeit rules (the IP only salted and hashed). An item is its GTIN and serial,
    // whichever lot its link names; a code nothing is recorded for is a warning sign of its own.
    await runtime
      .recordScan({
        epc: toDigitalLink(
          key.kind === 'sgtin' ? { kind: 'sgtin', gtin: key.gtin, serial: key.serial } : key,
        ),
        time: runtime.now(),
        ipHash: createHash('sha256')
          .update(`${services.suiteSecret}:${req.ip ?? ''}`)
          .digest('hex'),
        ...place,
        ...(!view.known && { unknown: true }),
      })
      .catch((error) => services.logger.warn({ err: error }, 'could not record a scan'));
    if (!view.known) res.status(404);
    res.type('html').send(renderConsumerPage(view, assets(), locale, req.originalUrl));
  };
  router.get('/01/:gtin/10/:lot', consumer);
  router.get('/01/:gtin/21/:serial', consumer);
  router.get('/01/:gtin/10/:lot/21/:serial', consumer);
}
