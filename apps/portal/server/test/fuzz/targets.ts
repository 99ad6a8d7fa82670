// What the fuzz suite attacks, read from the routers themselves so a new route or procedure is covered
// without anyone listing it: express routes from the app's router stack, tRPC procedures from each
// router's `_def.procedures`.
import type express from 'express';

export interface RestRoute {
  method: string;
  /** Express pattern, e.g. `/food/epcs/:epc/events`. */
  path: string;
}

export interface Procedure {
  /** URL of the tRPC endpoint the procedure is served under, e.g. `/food/api/trpc`. */
  base: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

function join(prefix: string, part: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${part.replace(/^\/+/, '')}`;
  return joined === '/' ? '/' : joined.replace(/\/+$/, '') || '/';
}

function paths(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw)) return raw.filter((p): p is string => typeof p === 'string');
  return []; // a RegExp route (the portal's page fallback) has no pattern to fill in
}

/** Every route of an express app, with its mount prefix, walking nested routers. */
export function restRoutes(app: express.Express): RestRoute[] {
  const routes: RestRoute[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const methods = Object.keys(layer.route.methods ?? {}).filter((m) => m !== '_all');
        for (const path of paths(layer.route.path)) {
          for (const method of methods.length ? methods : ['get']) {
            routes.push({ method: method.toUpperCase(), path: join(prefix, path) });
          }
        }
      } else if (layer.handle?.stack) {
        const mounts = layer.rawPath === undefined ? ['/'] : paths(layer.rawPath);
        for (const mount of mounts) walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  const router = (app as unknown as { router?: { stack: LayerLike[] } }).router;
  walk(router?.stack ?? [], '/');
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every procedure of a tRPC router served at `base`. */
export function procedures(
  base: string,
  router: { _def: { procedures: Record<string, unknown> } },
): Procedure[] {
  return Object.entries(router._def.procedures).map(([name, proc]) => ({
    base,
    name,
    type: ((proc as { _def?: { type?: string } })._def?.type ?? 'query') as Procedure['type'],
  }));
}
