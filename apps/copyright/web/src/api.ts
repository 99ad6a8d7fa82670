// The copyright app's own tRPC API (same origin, with the `gx_copyright` session cookie), its REST routes
// beside it, and the types of their answers.
import type { AppRouter } from '@gongxin/copyright-server';
import { createAppTrpc } from '@gongxin/ui';

export const api = createAppTrpc<AppRouter>('/copyright/api/trpc');
export const BASE = '/copyright';

export type WorkRow = Awaited<ReturnType<typeof api.works.search.query>>[number];
export type WorkDetail = Awaited<ReturnType<typeof api.works.get.query>>;
export type Listing = Awaited<ReturnType<typeof api.market.listings.query>>[number];
export type Mine = Awaited<ReturnType<typeof api.market.mine.query>>;
export type Stats = Awaited<ReturnType<typeof api.works.stats.query>>;
export type EvidenceForWork = Awaited<ReturnType<typeof api.evidence.byWork.query>>;
export type EvidenceForFile = Awaited<ReturnType<typeof api.evidence.byFile.query>>;
export type Application = Awaited<ReturnType<typeof api.works.application.query>>;
export type SimilarToFile = Awaited<ReturnType<typeof api.works.similarToFile.query>>;

export interface UploadedFile {
  sha256: string;
  codes: string[];
  content?: { kind: string; iscc: string };
  tool: string;
}

/** An error answer of the REST routes: the server's words (`{ error: { message } }`) and the status. */
export class RestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

async function restError(res: Response): Promise<RestError> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return new RestError(body.error?.message ?? `HTTP ${res.status}`, res.status);
  } catch {
    return new RestError(`HTTP ${res.status}`, res.status);
  }
}

/** Uploads a work's file: the server stores it and computes its codes itself. */
export async function uploadFile(file: Blob, mediaType: string): Promise<UploadedFile> {
  const res = await fetch(`${BASE}/api/files`, {
    method: 'POST',
    headers: { 'content-type': mediaType },
    body: file,
  });
  if (!res.ok) throw await restError(res);
  return (await res.json()) as UploadedFile;
}

/** The original of a registered work's file, or null when the registry does not hold it. */
export async function fileContent(sha256: string): Promise<Uint8Array | null> {
  const res = await fetch(`${BASE}/api/files/${sha256}/content`);
  if (res.status === 404) return null;
  if (!res.ok) throw await restError(res);
  return new Uint8Array(await res.arrayBuffer());
}

export const certificateUrl = (workId: string) =>
  `${BASE}/api/works/${encodeURIComponent(workId)}/certificate.pdf`;
export const verifyUrl = (workId: string) => `${BASE}/verify/${encodeURIComponent(workId)}`;

export async function evidenceFile(root: string, name: string): Promise<Uint8Array> {
  const res = await fetch(`${BASE}/api/evidence/${root}/files/${encodeURIComponent(name)}`);
  if (!res.ok) throw await restError(res);
  return new Uint8Array(await res.arrayBuffer());
}
