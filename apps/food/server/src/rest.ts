// The HTTP routes beside tRPC, relative to /food/: the EPCIS 2.0 REST binding (http/epcis.ts), the GS1
// Digital Link resolver with the consumer page (http/resolver.ts), QR codes and the label sheet
// (http/qr.ts), and the explorer's decoder pack.
import type { AppServices } from '@gongxin/app-kit';
import { sendError } from '@gongxin/app-kit';
import type express from 'express';
import { builtEntry, verifyScriptFrom } from './consumer';
import { epcisRoutes } from './http/epcis';
import { qrRoutes } from './http/qr';
import { resolverRoutes } from './http/resolver';
import type { FoodRuntime } from './runtime';

export { scanPlaceOf } from './http/resolver';

export interface RouteOptions {
  webDist: string;
}

export function foodRoutes(
  router: express.Router,
  services: AppServices,
  runtime: FoodRuntime,
  opts: RouteOptions,
): void {
  const base = '/food/';
  let verifyScript: string | undefined | null = null;
  const assets = () => {
    if (verifyScript === null) verifyScript = verifyScriptFrom(opts.webDist, base);
    return { verifyScript, explorerBase: '/explorer/', chainBase: '/chain', eventsBase: `${base}events/` };
  };

  // The explorer's decoder pack for the food contract, at a stable URL (the build names it by content).
  // A redirect rather than the file itself: the build may split the pack into chunks that import each
  // other by relative path, which resolve only from the pack's own URL under /food/assets/.
  router.get('/explorer-decoders.js', (_req, res) => {
    const file = builtEntry(opts.webDist, 'explorer-decoders');
    if (!file) return sendError(res, 404, 'not_found', 'the food web is not built');
    res.setHeader('Cache-Control', 'no-cache');
    res.redirect(302, `${base}${file}`);
  });

  epcisRoutes(router, services, runtime);
  resolverRoutes(router, services, runtime, assets);
  qrRoutes(router, services, runtime);
}
