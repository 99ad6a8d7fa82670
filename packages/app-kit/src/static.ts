// Serves an app's built front end: hashed assets cached for a year (their names change with their
// content), everything else revalidated, and index.html for client-side routes so a reload on
// `/<app>/cases/42` works. Must never answer an API or auth path with the page, nor a missing asset file
// with it (a broken script reference must stay a 404, not HTML parsed as JavaScript).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';

// Vite names built assets `<name>-<hash>.<ext>` (the hash is 8 base64url characters).
const HASHED = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/i;
const NOT_PAGES = /^\/(api|auth|healthz)(\/|$)/;

export function webDistPath(webDist: URL | string): string {
  return typeof webDist === 'string' ? path.resolve(webDist) : fileURLToPath(webDist);
}

/** Static files plus the SPA fallback; undefined when the front end is not built. */
export function serveWeb(webDist: URL | string): RequestHandler[] | undefined {
  const root = webDistPath(webDist);
  const indexHtml = path.join(root, 'index.html');
  if (!existsSync(indexHtml)) return undefined;
  const files = express.static(root, {
    index: false,
    fallthrough: true,
    setHeaders(res, file) {
      const immutable = HASHED.test(path.basename(file)) && file.includes(`${path.sep}assets${path.sep}`);
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const fallback: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (NOT_PAGES.test(req.path) || path.extname(req.path) !== '') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  };
  return [files, fallback];
}
