// Routes beside tRPC: the explorer's decoder pack for the energy contract at a stable URL (a redirect to
// the built file, whose name the build derives from its content).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type express from 'express';

export function builtEntry(webDist: string, name: string): string | undefined {
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

export function solarRoutes(router: express.Router, webDist: URL): void {
  const dist = fileURLToPath(webDist);
  router.get('/explorer-decoders.js', (_req, res) => {
    const file = builtEntry(dist, 'explorer-decoders');
    if (!file) {
      res.status(404).json({ error: 'not_found', message: 'the solar web is not built' });
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.redirect(302, `/solar/${file}`);
  });
}
