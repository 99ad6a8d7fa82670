// The HTTP routes beside tRPC, relative to /welfare/: the explorer's decoder pack for the welfare
// contract at a stable URL (the build names it by content). A redirect rather than the file itself: the
// pack's chunks import each other by relative path, which resolve only from its own URL under assets/.
import { existsSync, readFileSync } from 'node:fs';
import { sendError } from '@gongxin/app-kit';
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

export function welfareRoutes(router: express.Router, opts: { webDist: string }): void {
  router.get('/explorer-decoders.js', (_req, res) => {
    const file = builtEntry(opts.webDist, 'explorer-decoders');
    if (!file) return sendError(res, 404, 'not_found', 'the welfare web is not built');
    res.setHeader('Cache-Control', 'no-cache');
    res.redirect(302, `/welfare/${file}`);
  });
}
