// Capture of a web page as evidence, in a clean headless Chromium: a fresh browser context (no cookies,
// cache or storage from before) per capture, the browser from the system (never downloaded). What a court
// asks of such a capture: the URL, the page as served and as rendered, a screenshot, the HTTP headers, the
// TLS certificate chain, the address the name resolved to, and which tool made it, when. Each goes into its
// own file of the bundle (bundle.ts), so a later check names the file that changed.
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type PeerCertificate, connect as tlsConnect } from 'node:tls';
import { type Browser, chromium } from 'playwright-core';
import { type BundleFile, type BundleManifest, buildManifest } from './bundle';

const require = createRequire(import.meta.url);
const ownVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const playwrightVersion = (require('playwright-core/package.json') as { version: string }).version;

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
] as const;

/**
 * A capture refused or failed: `key` and `params` say why for the page (`errors.reason.<key>`): the
 * address is not http(s) (`url_scheme`) or private (`url_private`), the site could not be reached
 * (`page_unreachable`), did not answer in time (`page_timeout`), answered with an error status
 * (`page_http_status`), or the page is larger than a bundle may be (`page_too_large`); `capture_failed`
 * only for what fits none of them.
 */
export class CaptureError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 422 | 502 | 503 = 422,
    readonly key = 'capture_failed',
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

export interface CaptureOptions {
  /** Navigation budget. Default 30 s. */
  timeoutMs?: number;
  /** Largest bundle kept (the page as served and as rendered, the screenshot…). Default 32 MiB. */
  maxBytes?: number;
  viewport?: { width: number; height: number };
  /**
   * Refuse a page whose host resolves to a loopback, private or link-local address, block its requests
   * (frames, images, scripts…) to such hosts, and refuse a capture redirected to one: the server's own
   * browser must not become a way into the network it runs in. On in production; demo and test
   * deployments capture local test pages.
   */
  publicOnly?: boolean;
  /** Which hosts `publicOnly` blocks, given the addresses they resolve to. Default: any private address. */
  blockHost?: (host: string, addresses: readonly string[]) => boolean;
  /**
   * The clock the capture's start and end are stated on: the deployment clock, so that they agree with
   * the block time the root is anchored at. Default the wall clock.
   */
  now?: () => number;
}

const PRIVATE =
  /^(127\.|10\.|192\.168\.|169\.254\.|0\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|172\.(1[6-9]|2\d|3[01])\.|::1$|::$|::ffff:(127|10|192\.168|169\.254)\.|f[cd][0-9a-f]{2}:|fe[89ab][0-9a-f]:)/i;

/** Loopback, private (RFC 1918, ULA), carrier-grade NAT, link-local or unspecified. */
export function isPrivateAddress(address: string): boolean {
  return PRIVATE.test(address);
}

async function addressesOf(host: string): Promise<string[]> {
  try {
    return (await lookup(host.replace(/^\[|\]$/g, ''), { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

const defaultBlock = (_host: string, addresses: readonly string[]) =>
  addresses.length === 0 || addresses.some(isPrivateAddress);

export interface Capture {
  files: BundleFile[];
  manifest: BundleManifest;
}

const encoder = new TextEncoder();
const json = (value: unknown) => encoder.encode(`${JSON.stringify(value, null, 2)}\n`);

export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** Bytes in words a person reads at a glance: `512 KB`, `40.5 MB`. */
function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function tooLarge(bytes: number, maxBytes: number): CaptureError {
  return new CaptureError(
    `the page is too large to capture: ${bytes} bytes, at most ${maxBytes}`,
    422,
    'page_too_large',
    { size: sizeInWords(bytes), limit: sizeInWords(maxBytes) },
  );
}

/**
 * Chromium's network errors that mean the site could not be reached at all: the name does not resolve,
 * nothing answers at the address, the connection was refused, reset or closed before a page came, or the
 * port is one browsers never connect to.
 */
const UNREACHABLE =
  /net::ERR_(NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|ADDRESS_UNREACHABLE|ADDRESS_INVALID|CONNECTION_(REFUSED|RESET|CLOSED|FAILED|ABORTED)|EMPTY_RESPONSE|UNSAFE_PORT|INTERNET_DISCONNECTED|NETWORK_CHANGED|SSL_PROTOCOL_ERROR|SSL_VERSION_OR_CIPHER_MISMATCH|PROXY_CONNECTION_FAILED|TUNNEL_CONNECTION_FAILED)\b/;
/** Chromium's own timeouts of a connection or a response (besides the navigation budget's). */
const TIMED_OUT = /net::ERR_(TIMED_OUT|CONNECTION_TIMED_OUT)\b/;

/** Why a navigation failed, as a reason key with its parameters. */
export function navigationFailure(error: unknown, url: URL, timeoutMs: number): CaptureError {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  const seconds = String(Math.round(timeoutMs / 100) / 10);
  if ((error instanceof Error && error.name === 'TimeoutError') || TIMED_OUT.test(message))
    return new CaptureError(
      `the page could not be loaded: ${url.host} did not answer within ${seconds} s`,
      502,
      'page_timeout',
      { host: url.host, seconds },
    );
  const unreachable = UNREACHABLE.exec(message);
  if (unreachable)
    return new CaptureError(
      `the page could not be loaded: ${url.host} is not reachable (${unreachable[0]})`,
      502,
      'page_unreachable',
      { host: url.host, cause: unreachable[0].slice('net::'.length) },
    );
  return new CaptureError(`the page could not be loaded: ${message}`, 502, 'page_not_loaded', {
    cause: message.slice(0, 200),
  });
}

/** Checks a URL may be captured: http or https, with a host. */
export function captureUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CaptureError(
      `url: ${JSON.stringify(raw.slice(0, 200))} is not an absolute URL`,
      400,
      'url_not_absolute',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CaptureError(
      `url: only http and https pages can be captured, not ${url.protocol}`,
      400,
      'url_scheme',
      {
        scheme: url.protocol,
      },
    );
  if (url.username || url.password)
    throw new CaptureError('url: credentials in a URL are not captured', 400, 'url_credentials');
  return url;
}

/**
 * One browser for many captures, each in a fresh context. `launch` starts Chromium from CHROMIUM_PATH
 * (default /usr/bin/chromium); `close` ends it.
 */
export class EvidenceCapturer {
  private constructor(
    private readonly browser: Browser,
    readonly executablePath: string,
  ) {}

  static async launch(env: NodeJS.ProcessEnv = process.env): Promise<EvidenceCapturer> {
    const executablePath = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath))
      throw new CaptureError(
        `Chromium not found at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
        503,
        'capture_unavailable',
      );
    const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_FLAGS], headless: true });
    return new EvidenceCapturer(browser, executablePath);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  async capture(rawUrl: string, opts: CaptureOptions = {}): Promise<Capture> {
    const url = captureUrl(rawUrl);
    const timeout = opts.timeoutMs ?? 30_000;
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const viewport = opts.viewport ?? { width: 1280, height: 800 };
    const now = opts.now ?? Date.now;
    const startedAt = new Date(now()).toISOString();
    const context = await this.browser.newContext({
      viewport,
      ignoreHTTPSErrors: true, // an infringer's bad certificate is itself evidence: recorded, not refused
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
    const blocked: string[] = [];
    try {
      if (opts.publicOnly) {
        const block = opts.blockHost ?? defaultBlock;
        if (block(url.hostname, await addressesOf(url.hostname)))
          throw new CaptureError(
            `url: ${url.hostname} is a private or unresolvable address: not captured`,
            400,
            'url_private',
            { address: url.hostname },
          );
        await context.route('**/*', async (route) => {
          const target = new URL(route.request().url());
          if (
            (target.protocol === 'http:' || target.protocol === 'https:') &&
            block(target.hostname, await addressesOf(target.hostname))
          ) {
            blocked.push(target.href);
            await route.abort('blockedbyclient');
          } else await route.continue();
        });
      }
      const page = await context.newPage();
      // Redirects are followed by the browser without passing the route above: every hop is checked
      // here once the page has loaded, and a capture that touched a private address is refused whole
      // (nothing of it is stored or returned).
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      let response: Awaited<ReturnType<typeof page.goto>>;
      try {
        response = await page.goto(url.href, { waitUntil: 'load', timeout });
      } catch (error) {
        if (blocked.length > 0)
          throw new CaptureError(
            `url: the page led to a private address (${blocked[0]}): not captured`,
            400,
            'url_private',
            { address: String(blocked[0]) },
          );
        throw navigationFailure(error, url, timeout);
      }
      if (!response) throw new CaptureError('the page gave no response', 502, 'page_not_loaded');
      if (opts.publicOnly) {
        const block = opts.blockHost ?? defaultBlock;
        // What the route refused was never sent; the rest (redirect hops among them) was.
        for (const href of new Set(requested.filter((r) => !blocked.includes(r)))) {
          const target = new URL(href);
          if (target.protocol !== 'http:' && target.protocol !== 'https:') continue;
          if (block(target.hostname, await addressesOf(target.hostname)))
            throw new CaptureError(
              `url: the page led to a private address (${target.href}): not captured`,
              400,
              'url_private',
              { address: target.href },
            );
        }
      }
      // A site that refuses the page (403, 404, 500…) has served no page to be evidence of.
      if (response.status() >= 400)
        throw new CaptureError(
          `the server answered HTTP ${response.status()} ${response.statusText()}: not captured`,
          502,
          'page_http_status',
          { status: String(response.status()), statusText: response.statusText() },
        );
      // What the server says it sends, before anything is read or rendered of a page too large to keep.
      const declared = Number((await response.headerValue('content-length')) ?? Number.NaN);
      if (declared > maxBytes) throw tooLarge(declared, maxBytes);
      await page
        .waitForLoadState('networkidle', { timeout: Math.min(timeout, 5_000) })
        .catch(() => undefined);

      const request = response.request();
      const redirects: { url: string; status: number | null }[] = [];
      for (let r = request.redirectedFrom(); r; r = r.redirectedFrom()) {
        const res = await r.response();
        redirects.unshift({ url: r.url(), status: res?.status() ?? null });
      }
      const [html, body, screenshot, requestHeaders, responseHeaders, server, security] = await Promise.all([
        page.content(),
        response.body().catch(() => Buffer.alloc(0)),
        page.screenshot({ fullPage: true, type: 'png' }),
        request.allHeaders(),
        response.headersArray(),
        response.serverAddr(),
        response.securityDetails(),
      ]);
      const finalUrl = new URL(response.url());
      const finishedAt = new Date(now()).toISOString();
      const dns = await resolve(finalUrl.hostname);
      const tls = finalUrl.protocol === 'https:' ? await tlsChain(finalUrl, security, timeout) : null;
      const browserVersion = this.browser.version();

      const files: BundleFile[] = [
        {
          name: 'capture.json',
          mediaType: 'application/json',
          bytes: json({
            url: url.href,
            finalUrl: finalUrl.href,
            title: await page.title(),
            startedAt,
            finishedAt,
            tool: {
              name: '@gongxin/copyright-server evidence capture',
              version: ownVersion,
              playwright: `playwright-core ${playwrightVersion}`,
              browser: `Chromium ${browserVersion}`,
              executable: this.executablePath,
              flags: CHROMIUM_FLAGS,
              context: 'fresh (no cookies, cache, storage or service workers from before)',
              userAgent: (await page.evaluate('navigator.userAgent')) as string,
              viewport,
            },
            // Requests the capture refused to send (private addresses), if any.
            blockedRequests: blocked,
          }),
        },
        { name: 'page.html', mediaType: 'text/html; charset=utf-8', bytes: encoder.encode(html) },
        {
          name: 'response.body',
          mediaType:
            responseHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value ??
            'application/octet-stream',
          bytes: new Uint8Array(body),
        },
        { name: 'screenshot.png', mediaType: 'image/png', bytes: new Uint8Array(screenshot) },
        {
          name: 'headers.json',
          mediaType: 'application/json',
          bytes: json({
            redirects,
            request: { method: request.method(), url: request.url(), headers: requestHeaders },
            response: {
              url: response.url(),
              status: response.status(),
              statusText: response.statusText(),
              // As a list: a header sent twice (Set-Cookie) stays twice.
              headers: responseHeaders,
            },
          }),
        },
        {
          name: 'network.json',
          mediaType: 'application/json',
          bytes: json({ host: finalUrl.hostname, port: portOf(finalUrl), serverAddress: server, dns }),
        },
        {
          name: 'tls.json',
          mediaType: 'application/json',
          bytes: json(
            tls ?? {
              scheme: 'http',
              tls: null,
              note: 'the page was served over plain HTTP: there is no TLS certificate to record',
            },
          ),
        },
      ];
      const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
      if (total > maxBytes) throw tooLarge(total, maxBytes);
      return { files, manifest: buildManifest(files, { url: url.href, capturedAt: startedAt }) };
    } finally {
      await context.close();
    }
  }
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

async function resolve(host: string) {
  try {
    const answers = await lookup(host.replace(/^\[|\]$/g, ''), { all: true, verbatim: true });
    return { answers: answers.map((a) => ({ address: a.address, family: a.family })) };
  } catch (error) {
    return { answers: [], error: (error as Error).message };
  }
}

interface TlsRecord {
  scheme: 'https';
  browser: unknown;
  chain: {
    subject: string;
    issuer: string;
    validFrom: string;
    validTo: string;
    serial: string;
    sha256: string;
    pem: string;
  }[];
  error?: string;
}

/**
 * The certificate chain as the server presents it. The browser reports the leaf's summary only, so the
 * chain is read on a second connection to the same address and name, made at once after the page loaded.
 */
async function tlsChain(url: URL, browser: unknown, timeoutMs: number): Promise<TlsRecord> {
  const record: TlsRecord = { scheme: 'https', browser, chain: [] };
  try {
    const peer = await new Promise<PeerCertificate & { issuerCertificate?: PeerCertificate }>((ok, fail) => {
      const socket = tlsConnect({
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: portOf(url),
        servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname,
        rejectUnauthorized: false,
      });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error('TLS handshake timed out')));
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate(true);
        socket.end();
        ok(cert);
      });
      socket.once('error', fail);
    });
    const seen = new Set<string>();
    for (let c: PeerCertificate | undefined = peer; c?.raw && !seen.has(c.fingerprint256); ) {
      seen.add(c.fingerprint256);
      record.chain.push({
        subject: formatName(c.subject),
        issuer: formatName(c.issuer),
        validFrom: c.valid_from,
        validTo: c.valid_to,
        serial: c.serialNumber,
        sha256: c.fingerprint256,
        pem: `-----BEGIN CERTIFICATE-----\n${c.raw
          .toString('base64')
          .replace(/(.{64})/g, '$1\n')
          .trim()}\n-----END CERTIFICATE-----`,
      });
      c = (c as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
    }
  } catch (error) {
    record.error = (error as Error).message;
  }
  return record;
}

function formatName(name: unknown): string {
  if (!name || typeof name !== 'object') return '';
  return Object.entries(name as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}
