// Under a deployment clock set days before the wall clock (a rehearsal with CLOCK_START), the app's own
// times follow it: an upload's time, and the start and end of an evidence capture, which must not lie
// after the block time its root is anchored at.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onRehearsalClock } from '@gongxin/app-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCopyrightHarness } from './harness';

const rehearsal = onRehearsalClock(
  (clock) => startCopyrightHarness({ clock }),
  (h) => h.close(),
);
const { clock } = rehearsal;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let page: Server;
beforeAll(async () => {
  page = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><meta charset="utf-8"><title>转载</title><p>未经许可转载的作品</p>');
  });
  page.listen(0, '127.0.0.1');
  await new Promise((r) => page.once('listening', r));
});
afterAll(() => {
  page?.close();
});

describe('copyright on a deployment clock ten days behind the wall clock', () => {
  it('stamps an upload with the deployment clock', async () => {
    const h = rehearsal.harness;
    const before = clock();
    const res = await fetch(`${h.url}/copyright/api/files?name=clock`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '时钟测试：上传时间按部署时钟记录。',
    });
    expect(res.status).toBe(201);
    const { sha256 } = (await res.json()) as { sha256: string };
    const file = (await (await fetch(`${h.url}/copyright/api/files/${sha256}`)).json()) as {
      uploadedAt: number;
    };
    expect(file.uploadedAt).toBeGreaterThanOrEqual(before);
    expect(file.uploadedAt).toBeLessThanOrEqual(clock());
  });

  it.skipIf(!existsSync(chromium))(
    'states an evidence capture on the deployment clock, before its anchor block',
    async () => {
      const h = rehearsal.harness;
      const before = clock();
      const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}/copy`;
      const receipt = await h.app.captureEvidence(url, { publicOnly: false });
      const stored = await h.anonymous.evidence.get({ root: receipt.manifest.root });
      const capturedAt = Date.parse(stored.capturedAt);
      expect(capturedAt).toBeGreaterThanOrEqual(before);
      expect(capturedAt).toBeLessThanOrEqual(receipt.block.time);
    },
  );
});
