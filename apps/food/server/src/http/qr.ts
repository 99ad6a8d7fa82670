// QR codes of the Digital Links this server resolves, and a printable sheet of labels. The links are
// written on the suite's public URL: a deployment without PUBLIC_URL would print labels pointing at a
// loopback address no phone can open, so the sheet says so in large type and the app warns at start-up.
import type { AppServices } from '@gongxin/app-kit';
import type express from 'express';
import type { Request, Response } from 'express';
import { canonicalEpc, toDigitalLink } from '../domain';
import { labelSheet, qrPng, qrSvg } from '../qr';
import type { FoodRuntime } from '../runtime';
import { BadRequest, failWith, one } from './common';
import { keyOf } from './resolver';

/** Whether labels written on this URL would only open on this machine. */
export function isLoopbackUrl(url: string): boolean {
  const host = /^[a-z]+:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  return (
    host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '0.0.0.0' || host === ''
  );
}

export function qrRoutes(router: express.Router, services: AppServices, runtime: FoodRuntime): void {
  const fail = failWith(services);
  const loopback = isLoopbackUrl(services.publicUrl);
  if (loopback)
    services.logger.warn(
      { publicUrl: services.publicUrl },
      'PUBLIC_URL is not set to an address phones can reach: food QR codes and labels point at this machine only',
    );

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
      res.type('html').send(
        await labelSheet(labels, '食品溯源标签 Food traceability labels', {
          ...(loopback && {
            warning: `这些二维码指向 ${services.publicUrl}，手机无法打开：请先设置 PUBLIC_URL 为对外地址再打印。 These codes point at ${services.publicUrl}, which phones cannot open: set PUBLIC_URL to the public address before printing.`,
          }),
        }),
      );
    } catch (error) {
      fail(res, error, 'digital_link');
    }
  });
}
