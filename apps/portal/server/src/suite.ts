// The composition root: brings up the suite in one process on whatever the configuration points at
// (embedded PGlite and MQTT broker by default, real PostgreSQL and a real broker when configured) and
// serves the portal. It is the only place that may import other apps.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AnySuiteApp,
  type AppServices,
  ClockError,
  createDeploymentClock,
  createLeadership,
  errorHandler,
  mountApp,
  type SuiteAppInfo,
  suiteAppInfo,
  suiteGenesis,
} from '@gongxin/app-kit';
import { ChannelNodeRuntime } from '@gongxin/channel-node';
import { createChainClient } from '@gongxin/client';
import type { Config } from '@gongxin/config';
import { type Database, openDatabase } from '@gongxin/db';
import { fromHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { connectMqtt, type MqttConnection, resolveBroker } from '@gongxin/mqtt';
import { holdIdleConnections } from '@gongxin/node/api';
import { demoAccounts } from '@gongxin/passport-server';
import {
  createMetrics,
  healthHandler,
  httpMetrics,
  inputGuard,
  type Logger,
  metricsHandler,
} from '@gongxin/telemetry';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { sql } from 'drizzle-orm';
import express from 'express';
import { suiteApps } from './apps';
import { embeddedChain, followedChain } from './chain';
import { appRouter } from './router';
import { loadSuiteSecret } from './secrets';

export const portalWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Where the demo suite's channel hub accepts links, on the suite's own address. */
export const HUB_LINK_PATH = '/channels/link';
/** The most the hub puts into one channel per asset, matching its opener (¥100 in fen). */
export const HUB_MAX_DEPOSIT = 10_000n;

export interface RunningSuite {
  /** The express app serving everything (its router stack lists every REST route). */
  app: express.Express;
  url: string;
  port: number;
  database: Database;
  brokerUrl: string;
  close(): Promise<void>;
}

/** Refused to start because the port is taken: says which and what to do. */
export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(`Port ${port} on ${host} is already in use (check PORT, or stop the other process)`);
    this.name = 'PortInUseError';
  }
}

async function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    holdIdleConnections(server);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error),
    );
  });
}

/**
 * Runs one step of the start-up, saying at warn level (what a deployment logs) when it is still running
 * after `everyMs`, and again each `everyMs`: a start-up that hangs or crawls names the step it is in.
 */
export async function startupStep<T>(
  logger: { warn(fields: { step: string; ms: number }, message: string): void },
  step: string,
  run: () => Promise<T>,
  everyMs = 20_000,
): Promise<T> {
  const started = Date.now();
  const timer = setInterval(
    () => logger.warn({ step, ms: Date.now() - started }, `start-up: still at "${step}"`),
    everyMs,
  );
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}

/** Brings up the suite with `apps` mounted (default: the suite's apps, apps.ts). */
export async function startSuite(
  config: Config,
  logger: Logger,
  apps: readonly AnySuiteApp[] = suiteApps,
): Promise<RunningSuite> {
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      await close().catch((error) => logger.error({ err: error }, 'error while shutting down'));
    }
  };
  try {
    const database = await startupStep(logger, 'database', () =>
      openDatabase({
        url: config.databaseUrl,
        dataDir: path.resolve(config.dataDir),
        logger: logger.child({ component: 'db' }),
      }),
    );
    closers.push(() => database.close());
    logger.info({ database: database.describe() }, 'database ready');

    const broker = await startupStep(logger, 'MQTT broker', () =>
      resolveBroker({
        mqttUrl: config.mqttUrl,
        logger: logger.child({ component: 'mqtt' }),
      }),
    );
    closers.push(() => broker.close());
    const mqtt: MqttConnection = await connectMqtt(broker.url, { clientId: `gongxin-portal-${process.pid}` });
    closers.push(() => mqtt.close());
    logger.info({ broker: broker.url, embedded: broker.embedded !== null }, 'MQTT broker ready');

    // The chain: one validator in this process on the embedded default (a new chain starts with what the
    // apps need at genesis: demo identities and roles when DEMO is on), or the node at CHAIN_URL.
    const metrics = createMetrics();
    // The process's start, on the wall clock (uptime), whatever the deployment clock says.
    const startedAt = new Date();
    // The deployment clock: the wall clock unless CLOCK_START sets another start (block times follow it).
    // A followed chain (CHAIN_URL) keeps its own node's clock, so the apps read the wall clock beside it.
    const clock = createDeploymentClock({
      ...(config.clockStart !== undefined && !config.chainUrl && { start: config.clockStart }),
      controllable: config.clockControl === true && !config.chainUrl,
    });
    const chain = await startupStep(logger, 'chain', () =>
      config.chainUrl
        ? followedChain({ url: config.chainUrl, logger })
        : embeddedChain({
            database,
            dataDir: path.resolve(config.dataDir),
            suite: getSuite('ed25519-sha256'),
            logger,
            metrics,
            clock: clock.now,
            // Apps that put keyed ID hashes on chain at genesis need the suite secret already.
            genesisContracts: () =>
              suiteGenesis(apps, {
                config: { ...config, suiteSecret: loadSuiteSecret(config) },
                suite: getSuite('ed25519-sha256'),
              }),
          }),
    );
    closers.push(() => chain.close());
    const { feed } = chain;
    const app = express();
    app.disable('x-powered-by');
    app.use(
      httpMetrics({
        registry: metrics.registry,
        server: 'portal',
        procedures: Object.keys(appRouter._def.procedures),
      }),
    );
    app.use(inputGuard({ onRefused: (reason) => metrics.badInput.inc({ source: 'api', reason }) }));
    app.get(
      '/healthz',
      healthHandler({
        database: () => database.query(sql`select 1 as ok`).then(() => database.kind),
        chain: () => chain.health(),
        feed: () => feed.stats(),
        mqtt: () => {
          if (!mqtt.client.connected) throw new Error('not connected to the MQTT broker');
          return broker.embedded ? 'embedded' : 'external';
        },
      }),
    );
    app.get('/metrics', metricsHandler(metrics.registry));
    // The deployment clock: read by anyone; moved forward only where CLOCK_CONTROL allows it.
    app.get('/clock', (_req, res) => {
      res.json({ now: clock.now(), controllable: clock.controllable });
    });
    // The same clock where every app serves it (app-kit's /<app>/api/clock), for the portal's own page: its
    // times (the last block's, "3 分钟前") are measured from it, not from the device's clock.
    app.get('/portal/api/clock', (_req, res) => {
      res.set('cache-control', 'no-store').json({ now: clock.now() });
    });
    app.post('/clock', express.json({ limit: '1kb' }), (req, res) => {
      if (!clock.controllable) {
        res.status(403).json({ error: 'the clock is not controllable here (CLOCK_CONTROL is off)' });
        return;
      }
      const to = (req.body as { to?: unknown } | undefined)?.to;
      try {
        if (typeof to !== 'number') throw new ClockError('expected {"to": ms since the epoch}');
        res.json({ now: clock.advanceTo(to) });
      } catch (error) {
        if (!(error instanceof ClockError)) throw error;
        metrics.badInput.inc({ source: 'api', reason: 'clock' });
        res.status(400).json({ error: error.message });
      }
    });
    app.use('/chain', chain.api);
    app.use(
      '/api/trpc',
      createExpressMiddleware({
        router: appRouter,
        createContext: () => ({
          demo: config.demo,
          services: { database: database.kind, broker: broker.embedded ? 'embedded' : 'external' },
          startedAt,
          chainStatus: () => chain.status(),
          apps: live,
        }),
        onError: ({ error, path: procedure }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR')
            logger.error({ err: error, procedure }, 'procedure failed');
          else metrics.badInput.inc({ source: 'api', reason: error.code.toLowerCase() });
        },
      }),
    );
    // The hub of the superconducting network (demo suite on its own chain): anyone's channel node links to
    // it at /channels/link, and the wallet reads where it is here.
    let hub: { address: string; publicKey: string; link: string } | null = null;
    app.get('/channels/hub', (_req, res) => {
      if (hub) res.json(hub);
      else res.status(404).json({ error: 'this suite runs no channel hub' });
    });
    // Apps are mounted after the server listens: their OIDC issuer and chain client need the real address.
    const appsRouter = express.Router();
    app.use(appsRouter);
    const live: SuiteAppInfo[] = [];
    if (existsSync(portalWebDist)) {
      app.use(express.static(portalWebDist, { index: 'index.html', maxAge: '1h' }));
      // A reload on a client-side route still gets the page; unknown API paths stay 404.
      app.get(/^(?!\/api\/).*/, (_req, res) => res.sendFile(path.join(portalWebDist, 'index.html')));
    } else {
      logger.warn({ portalWebDist }, 'portal front end not built: run `npm run build`');
    }
    // Whatever fails outside an app is JSON too, never express's HTML page with a stack trace.
    app.use(errorHandler(logger, metrics));

    const server = await listen(app, config.host, config.port);
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    server.closeIdleConnections?.();
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    const publicUrl = (
      config.publicUrl.endsWith(`:${config.port}`) && config.port === 0 ? url : config.publicUrl
    ).replace(/\/$/, '');
    const client = createChainClient({ url: chain.clientUrl(url) });
    // One lock connection for every app's background jobs: with replicas on one PostgreSQL, one leads each.
    const leadership = await createLeadership({ database, url: config.databaseUrl, logger });
    closers.push(() => leadership.close());
    const services: Omit<AppServices, 'logger'> = {
      config,
      database,
      leadership,
      metrics,
      clock: clock.now,
      chain: {
        client,
        feed,
        chainId: chain.chainId,
        suite: chain.suite,
      },
      issuer: `${publicUrl}/passport/oidc`,
      publicUrl,
      mqttUrl: broker.url,
      suiteSecret: loadSuiteSecret(config),
      suite: { apps: apps.map(suiteAppInfo) },
    };
    for (const def of apps) {
      const mounted = await startupStep(logger, `app ${def.id}`, () =>
        mountApp(def, { ...services, logger: logger.child({ app: def.id }) }),
      );
      closers.push(() => mounted.close());
      appsRouter.use(`/${def.id}`, mounted.router);
      live.push(suiteAppInfo(def));
    }
    if (config.demo && !config.chainUrl) {
      const crypto = getSuite('ed25519-sha256');
      const account = demoAccounts(crypto).find((a) => a.id === 'channel-hub')!;
      const node = await startupStep(logger, 'channel hub', () =>
        ChannelNodeRuntime.start({
          database,
          client: createChainClient({ url: chain.clientUrl(url), suite: crypto }),
          suite: crypto,
          privateKey: fromHex(account.privateKey),
          server: { http: server, path: HUB_LINK_PATH },
          hub: { maxDeposit: HUB_MAX_DEPOSIT },
          // Its channels, payments, log commits and links on the suite's /metrics.
          metrics,
          onProblem: (problem) => logger.warn({ problem }, 'channel hub'),
        }),
      );
      closers.push(() => node.stop());
      hub = {
        address: node.address,
        publicKey: account.publicKey,
        link: `${publicUrl.replace(/^http/, 'ws')}${HUB_LINK_PATH}`,
      };
    }
    logger.info({ url, apps: live.map((app) => app.id), hub: hub?.link }, 'Gongxin portal is up');
    return { url, port, database, brokerUrl: broker.url, app, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
