// New PGlite databases (in memory, or in a data directory that does not exist yet) start from a pristine
// cluster instead of running initdb each time: initdb is most of a new PGlite's start-up (a fresh cluster
// took 4.5 s on a loaded 2-core machine, one from the template 1 s). The template is the data directory of
// a cluster just initialised, nothing else in it, dumped once: kept in the process, and as a file in the
// OS temp folder (or PGLITE_TEMPLATE_DIR) named by PGlite's version and the user, so the next process starts from it too. A file
// another user owns or could write is not used; a template that cannot be read or loaded is dropped, and
// the database is made the ordinary way. `PGLITE_TEMPLATE=off` turns it off (to
// compare, or to rule it out).
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

let cached: Blob | null | undefined;

const templatesOn = () => process.env['PGLITE_TEMPLATE'] !== 'off';

/** PGlite's version, from its package.json (the package does not export that file). */
function pgliteVersion(): string | undefined {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    for (let i = 0; i < 4; i++) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // Unknown version: no template file, only the in-process one.
  }
  return undefined;
}

/** Where the template is kept between processes (undefined when PGlite's version is unknown). */
export function templateFile(): string | undefined {
  const version = pgliteVersion();
  if (!version) return undefined;
  const user = process.getuid?.() ?? 'user';
  const dir = process.env['PGLITE_TEMPLATE_DIR'] || tmpdir();
  return join(dir, `gongxin-pglite-${version}-${user}.tar`);
}

/** Whether the file is this user's and only this user can write it. */
function ownFile(file: string): boolean {
  const st = statSync(file);
  const uid = process.getuid?.();
  return (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
}

/** The pristine cluster to load, or undefined when there is none yet. */
export function clusterTemplate(): Blob | undefined {
  if (!templatesOn()) return undefined;
  if (cached !== undefined) return cached ?? undefined;
  const file = templateFile();
  if (file && existsSync(file) && ownFile(file)) {
    try {
      cached = new Blob([readFileSync(file)]);
      return cached;
    } catch {
      // Unreadable: made again below by the next fresh cluster.
    }
  }
  cached = null;
  return undefined;
}

let saving: Promise<void> | undefined;

/**
 * Keeps a fresh cluster's data directory as the template (call before anything is written to it). The
 * dump is taken before this returns; the file (tens of MB) is written in the background, so opening the
 * database does not wait for the disk. `templateSaved()` settles when it is on disk.
 */
export async function keepClusterTemplate(fresh: PGlite): Promise<void> {
  if (cached || !templatesOn()) return;
  const dump = await fresh.dumpDataDir('none');
  cached = dump;
  const file = templateFile();
  if (!file) return;
  const part = `${file}.${process.pid}.part`;
  // Written aside and renamed, so a process reading it never sees half a file; a process that ends
  // before the write is done leaves no part behind.
  const leftover = () => rmSync(part, { force: true });
  process.once('exit', leftover);
  saving = (async () => {
    try {
      await writeFile(part, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
      await rename(part, file);
    } catch {
      await rm(part, { force: true }).catch(() => undefined);
    } finally {
      process.off('exit', leftover);
    }
  })();
}

/** Settles once the template file being written (if any) is on disk or given up. */
export async function templateSaved(): Promise<void> {
  await saving;
}

/** Forgets a template that failed to load, here and on disk. */
export function dropClusterTemplate(): void {
  cached = null;
  const file = templateFile();
  if (file) rmSync(file, { force: true });
}

/** Test hook: forget the in-process template, so the next open reads the file again. */
export function forgetTemplateInProcess(): void {
  cached = undefined;
}
