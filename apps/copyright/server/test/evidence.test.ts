import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { appkitMigrations, createOutbox, type Outbox } from '@gongxin/app-kit';
import { accountFromPrivateKey, type ChainClient, createChainClient } from '@gongxin/client';
import { notaryContract } from '@gongxin/contracts';
import { openDatabase } from '@gongxin/db';
import { startTestChain, type TestChain } from '@gongxin/node/api/testing';
import { createLogger } from '@gongxin/telemetry';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorEvidence } from '../src/evidence/anchor';
import { buildManifest, checkBundle } from '../src/evidence/bundle';
import {
  type Capture,
  CaptureError,
  captureUrl,
  EvidenceCapturer,
  isPrivateAddress,
} from '../src/evidence/capture';
import { readBundle, writeBundle } from '../src/evidence/files';
import { type EvidenceReceipt, verifyEvidence } from '../src/evidence/verify';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>盗版图库</title></head>
<body style="background:#fff"><h1 id="t">未经许可转载的作品</h1><p>摄影作品《山水》全文转载。</p></body></html>`;

let page: Server;
let pageUrl: string;
let chain: TestChain;
let client: ChainClient;
let outbox: Outbox;
let signer: string;
let capturer: EvidenceCapturer;
let capture: Capture;
let receipt: EvidenceReceipt;
const dirs: string[] = [];

beforeAll(async () => {
  page = createServer((req, res) => {
    if (req.url === '/to-localhost') {
      res.writeHead(302, { location: `http://localhost:${(page.address() as AddressInfo).port}/work` }).end();
      return;
    }
    if (req.url === '/with-image') {
      const port = (page.address() as AddressInfo).port;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><meta charset="utf-8"><p>图</p><img src="http://localhost:${port}/inner.png">`);
      return;
    }
    if (req.url === '/forbidden') {
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' }).end('<p>禁止访问</p>');
      return;
    }
    if (req.url === '/big') {
      const body = Buffer.from(`<p>${'长'.repeat(100_000)}</p>`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
      res.end(body);
      return;
    }
    if (req.url === '/slow') {
      // Answers long after the capture's budget has run out.
      setTimeout(() => res.end('late'), 8_000).unref();
      return;
    }
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/work' }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'x-test-header': 'evidence',
      'set-cookie': 'a=1',
    });
    res.end(PAGE);
  });
  page.listen(0, '127.0.0.1');
  await new Promise((r) => page.once('listening', r));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;

  const database = await openDatabase({ memory: true });
  chain = await startTestChain({ contracts: [notaryContract], database });
  await database.migrate(appkitMigrations);
  client = createChainClient({ url: chain.url });
  const account = accountFromPrivateKey(chain.suite, chain.account(7).privateKey);
  signer = account.address;
  outbox = createOutbox({
    name: 'copyright',
    database,
    client,
    signers: new Map([[account.address, account]]),
    logger: createLogger({ name: 'evidence-test', level: 'silent' }),
    alreadyAnchored: (code) => code === 'already_exists',
  });
  capturer = await EvidenceCapturer.launch();
  capture = await capturer.capture(`${pageUrl}/moved`);
  receipt = await anchorEvidence({ outbox, client, signer }, capture.manifest);
});

afterAll(async () => {
  await capturer?.close();
  await chain?.close();
  page?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const fileText = (name: string) =>
  new TextDecoder().decode(capture.files.find((f) => f.name === name)!.bytes);
const filesOf = (c: Capture) => new Map(c.files.map((f) => [f.name, f.bytes]));

describe('evidence capture of a local page', () => {
  it('records the URL, HTML, screenshot, headers, address, TLS status and the tool', () => {
    expect(existsSync(chromium)).toBe(true);
    expect(capture.files.map((f) => f.name).sort()).toEqual([
      'capture.json',
      'headers.json',
      'network.json',
      'page.html',
      'response.body',
      'screenshot.png',
      'tls.json',
    ]);
    const about = JSON.parse(fileText('capture.json'));
    expect(about.url).toBe(`${pageUrl}/moved`);
    expect(about.finalUrl).toBe(`${pageUrl}/work`);
    expect(about.title).toBe('盗版图库');
    expect(about.tool.browser).toMatch(/^Chromium \d+\./);
    expect(about.tool.playwright).toMatch(/^playwright-core \d/);
    expect(about.tool.flags).toContain('--no-sandbox');
    expect(Date.parse(about.finishedAt)).toBeGreaterThanOrEqual(Date.parse(about.startedAt));

    expect(fileText('page.html')).toContain('未经许可转载的作品');
    expect(fileText('response.body')).toBe(PAGE);

    const headers = JSON.parse(fileText('headers.json'));
    expect(headers.redirects).toEqual([{ url: `${pageUrl}/moved`, status: 302 }]);
    expect(headers.response.status).toBe(200);
    expect(headers.response.headers).toContainEqual({ name: 'x-test-header', value: 'evidence' });

    const network = JSON.parse(fileText('network.json'));
    expect(network.serverAddress).toEqual({ ipAddress: '127.0.0.1', port: Number(new URL(pageUrl).port) });
    expect(network.dns.answers).toContainEqual({ address: '127.0.0.1', family: 4 });

    expect(JSON.parse(fileText('tls.json'))).toMatchObject({ scheme: 'http', tls: null });

    const png = PNG.sync.read(Buffer.from(capture.files.find((f) => f.name === 'screenshot.png')!.bytes));
    expect(png.width).toBe(1280);
    expect(png.height).toBeGreaterThan(100);
  });

  it('hashes the files as one bundle: manifest entries lead to the root', () => {
    expect(capture.manifest.root).toMatch(/^[0-9a-f]{64}$/);
    expect(capture.manifest.files).toHaveLength(7);
    expect(checkBundle(capture.manifest, filesOf(capture))).toMatchObject({
      ok: true,
      rootOk: true,
      extra: [],
    });
    // Same files give the same root; a renamed file gives another.
    const again = buildManifest(capture.files, { url: 'x', capturedAt: 'y' });
    expect(again.root).toBe(capture.manifest.root);
    const renamed = capture.files.map((f) => (f.name === 'tls.json' ? { ...f, name: 'tls2.json' } : f));
    expect(buildManifest(renamed, { url: 'x', capturedAt: 'y' }).root).not.toBe(capture.manifest.root);
  });

  it('anchors the root at once through notary and gives an offline receipt that verifies', async () => {
    expect(receipt.anchor).toMatchObject({
      contract: 'notary',
      hash: capture.manifest.root,
      type: 'evidence.web',
    });
    const anchored = await client.state(`notary/anchor/${capture.manifest.root}`);
    expect((anchored.value as { txId: string }).txId).toBe(receipt.tx.id);
    const verdict = verifyEvidence(receipt, filesOf(capture));
    expect(verdict.summary).toMatch(/^verified: 7 files/);
    expect(verdict.ok).toBe(true);
    expect(verdict.steps.map((s) => s.check)).toEqual(
      expect.arrayContaining(['manifest', 'anchor', 'inclusion', 'validators', 'certificate']),
    );
  });

  it('fails after one byte of one file is changed, naming the file', () => {
    for (const name of ['page.html', 'screenshot.png', 'capture.json']) {
      const files = filesOf(capture);
      const bytes = files.get(name)!.slice();
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      files.set(name, bytes);
      const verdict = verifyEvidence(receipt, files);
      expect(verdict.ok).toBe(false);
      expect(verdict.changed).toEqual([name]);
      expect(verdict.summary).toBe(`NOT verified: ${name} was changed or is missing`);
    }
  });

  it('fails when the receipt is altered: another root, block or validator set', () => {
    const files = filesOf(capture);
    const otherRoot = structuredClone(receipt);
    otherRoot.manifest.root = 'ab'.repeat(32);
    expect(verifyEvidence(otherRoot, files).ok).toBe(false);

    const otherTime = structuredClone(receipt);
    otherTime.block.time += 1;
    expect(verifyEvidence(otherTime, files).summary).toMatch(/block/);

    const foreign = structuredClone(receipt);
    foreign.validators.validators[0]!.key = `${foreign.validators.validators[0]!.key.slice(0, -2)}00`;
    const verdict = verifyEvidence(foreign, files);
    expect(verdict.ok).toBe(false);
    expect(verdict.changed).toEqual([]);

    const broken = structuredClone(receipt);
    broken.proof = 'zz';
    expect(verifyEvidence(broken, files).summary).toMatch(/receipt/);
  });

  it('a fresh context per capture: a cookie set by one capture is not sent by the next', async () => {
    const second = await capturer.capture(`${pageUrl}/work`);
    const headers = JSON.parse(
      new TextDecoder().decode(second.files.find((f) => f.name === 'headers.json')!.bytes),
    );
    expect(headers.request.headers.cookie).toBeUndefined();
    expect(second.manifest.root).not.toBe(capture.manifest.root);
  });

  it('refuses what is not an http(s) URL with a clear error', async () => {
    expect(() => captureUrl('file:///etc/passwd')).toThrow(/only http and https/);
    expect(() => captureUrl('not a url')).toThrow(/not an absolute URL/);
    await expect(capturer.capture(`http://127.0.0.1:1/`, { timeoutMs: 5_000 })).rejects.toThrow(
      /could not be loaded/,
    );
  });

  it('says why a page was not captured: not http(s), unreachable, timed out, refused, too large', async () => {
    const why = (attempt: () => unknown) =>
      Promise.resolve()
        .then(attempt)
        .then(
          () => null,
          (error: unknown) => {
            expect(error).toBeInstanceOf(CaptureError);
            const e = error as CaptureError;
            return { key: e.key, params: e.params, message: e.message };
          },
        );
    expect(await why(() => captureUrl('ftp://example.com/a'))).toMatchObject({
      key: 'url_scheme',
      params: { scheme: 'ftp:' },
    });
    // A port just freed: nothing listens there, the connection is refused.
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await new Promise((r) => closed.once('listening', r));
    const freed = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    expect(await why(() => capturer.capture(`http://${freed}/`, { timeoutMs: 5_000 }))).toMatchObject({
      key: 'page_unreachable',
      params: { host: freed, cause: 'ERR_CONNECTION_REFUSED' },
      message: expect.stringContaining(`could not be loaded: ${freed} is not reachable`),
    });
    // A port browsers never connect to.
    expect(await why(() => capturer.capture('http://127.0.0.1:1/', { timeoutMs: 5_000 }))).toMatchObject({
      key: 'page_unreachable',
      params: { host: '127.0.0.1:1', cause: 'ERR_UNSAFE_PORT' },
    });
    const host = new URL(pageUrl).host;
    expect(await why(() => capturer.capture(`${pageUrl}/slow`, { timeoutMs: 1_500 }))).toMatchObject({
      key: 'page_timeout',
      params: { host, seconds: '1.5' },
    });
    expect(await why(() => capturer.capture(`${pageUrl}/forbidden`))).toMatchObject({
      key: 'page_http_status',
      params: { status: '403', statusText: 'Forbidden' },
    });
    // Too large by what the server declares (300,000 bytes of text), and by the bundle itself.
    expect(await why(() => capturer.capture(`${pageUrl}/big`, { maxBytes: 100_000 }))).toMatchObject({
      key: 'page_too_large',
      params: { size: '293 KB', limit: '98 KB' },
    });
    expect(await why(() => capturer.capture(`${pageUrl}/work`, { maxBytes: 2_048 }))).toMatchObject({
      key: 'page_too_large',
      params: { limit: '2 KB' },
    });
  });

  it('the CLI verifies a bundle directory, and names the changed file after a one-byte change', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-evidence-'));
    dirs.push(dir);
    await writeBundle(dir, capture.files, capture.manifest, receipt);
    const back = await readBundle(dir);
    expect(verifyEvidence(back.receipt, back.files).ok).toBe(true);

    const run = promisify(execFile);
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const script = path.join(cwd, 'scripts/verify-evidence.ts');
    const good = await run(process.execPath, ['--import', 'tsx', script, dir], { cwd });
    expect(good.stdout).toMatch(/^verified: 7 files/m);

    const target = path.join(dir, 'headers.json');
    const bytes = readFileSync(target);
    bytes[10] = bytes[10]! ^ 0x20;
    writeFileSync(target, bytes);
    const bad = await run(process.execPath, ['--import', 'tsx', script, dir], { cwd }).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(bad?.code).toBe(1);
    expect(bad?.stdout).toMatch(/FAIL file headers\.json: changed: SHA-256 is [0-9a-f]{64}/);
    expect(bad?.stdout).toMatch(/NOT verified: headers\.json was changed or is missing/);
  });

  it('publicOnly: refuses private addresses, and blocks a redirect into one', async () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fd12:3456::1',
      'fe80::1',
      '0.0.0.0',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:db8::1', '203.0.113.7'])
      expect(isPrivateAddress(a), a).toBe(false);

    await expect(capturer.capture(`${pageUrl}/work`, { publicOnly: true })).rejects.toThrow(
      /127\.0\.0\.1 is a private or unresolvable address/,
    );
    // Here 127.0.0.1 stands for a public host and localhost for a private one.
    const blockHost = (host: string) => host === 'localhost';
    await expect(
      capturer.capture(`${pageUrl}/to-localhost`, { publicOnly: true, blockHost }),
    ).rejects.toThrow(/led to a private address \(http:\/\/localhost:\d+\/work\)/);
    const allowed = await capturer.capture(`${pageUrl}/work`, { publicOnly: true, blockHost });
    const about = JSON.parse(
      new TextDecoder().decode(allowed.files.find((f) => f.name === 'capture.json')!.bytes),
    );
    expect(about.blockedRequests).toEqual([]);
    // A request of the page to a blocked host is not sent, and is recorded as refused.
    const withImage = await capturer.capture(`${pageUrl}/with-image`, { publicOnly: true, blockHost });
    const aboutImage = JSON.parse(
      new TextDecoder().decode(withImage.files.find((f) => f.name === 'capture.json')!.bytes),
    );
    expect(aboutImage.blockedRequests).toEqual([
      expect.stringMatching(/^http:\/\/localhost:\d+\/inner\.png$/),
    ]);
    expect(new TextDecoder().decode(allowed.files.find((f) => f.name === 'page.html')!.bytes)).toContain(
      '未经许可',
    );
  });
});
