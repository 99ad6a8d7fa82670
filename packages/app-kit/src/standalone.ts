// Runs one app on its own port, outside the portal: builds the AppServices the portal would give it (its
// own database, a chain client against CHAIN_URL, passport at ISSUER_URL) and serves the same paths
// (`/<id>/…`). Start-up problems must end in one clear error, not a half-started server.
import type { Server } from 'node:http';
import path from 'node:path';
import { createChainClient } from '@gongxin/client';
import { type Config, loadConfig } from '@gongxin/config';
import { openDatabase } from '@gongxin/db';
import { holdIdleConnections } from '@gongxin/node/api';
import { createLogger, createMetrics, type Logger, metricsHandler } from '@gongxin/telemetry';
import type { AnyTRPCRouter } from '@trpc/server';
import express from 'express';
import { type MountOptions, mountApp } from './app';
import { assertSuiteSecret } from './auth/oidc';
import { clientFeed } from './indexer/feed';
import { type SuiteApp, suiteAppInfo } from './module';
import type { AppDefinition, AppServices, SuiteAppInfo } from './services';

export interface StandaloneOptions {
  /** Default: process.env. Reads the @gongxin/config variables plus CHAIN_URL, ISSUER_URL, SUITE_SECRET, TRUST_PROXY. */
  env?: Record<string, string | undefined>;
  config?: Config;
  logger?: Logger;
  mount?: MountOptions;
  /**
   * The suite's apps as the host would list them (passport registers these as clients). Default: the app
   * itself, when it is a suite app.
   */
  apps?: readonly SuiteAppInfo[];
}

export interface StandaloneApp {
  url: string;
  server: Server;
  services: AppServices;
  close(): Promise<void>;
}

/** A setting runStandalone needs and did not get: names the variable and what to put there. */
export class StandaloneConfigError extends Error {
  override readonly name = 'ConfigError';
}

function urlSetting(
  env: Record<string, string | undefined>,
  name: string,
  example: string,
  fallback?: string,
) {
  const value = env[name]?.trim() || fallback;
  if (!value) throw new StandaloneConfigError(`${name} is not set: expected a URL like ${example}`);
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new StandaloneConfigError(`${name}=${JSON.stringify(value)}: expected a URL like ${example}`);
  }
  return value.replace(/\/+$/, '');
}

export async function runStandalone<TRouter extends AnyTRPCRouter, TRuntime>(
  def: AppDefinition<TRouter, TRuntime> | SuiteApp<TRouter, TRuntime>,
  opts: StandaloneOptions = {},
): Promise<StandaloneApp> {
  const env = opts.env ?? process.env;
  const config = opts.config ?? loadConfig(env);
  const logger = (
    opts.logger ?? createLogger({ name: 'gongxin', level: config.logLevel, format: config.logFormat })
  ).child({
    app: def.id,
  });
  const chainUrl = urlSetting(env, 'CHAIN_URL', 'http://127.0.0.1:8080/chain');
  const issuer = urlSetting(
    env,
    'ISSUER_URL',
    'http://127.0.0.1:8080/passport/oidc',
    `${config.publicUrl}/passport/oidc`,
  );
  const suiteSecret = env.SUITE_SECRET ?? '';
  try {
    assertSuiteSecret(suiteSecret);
  } catch (error) {
    throw new StandaloneConfigError((error as Error).message);
  }

  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const stop of closers.splice(0).reverse()) {
      await stop().catch((error) => logger.error({ err: error }, 'error while shutting down'));
    }
  };
  try {
    // Its own PGlite directory (named after the app): PGlite allows one process per directory.
    const database = await openDatabase({
      url: config.databaseUrl,
      dataDir: path.resolve(config.dataDir),
      name: def.id,
      logger: logger.child({ component: 'db' }),
    });
    closers.push(() => database.close());

    const client = createChainClient({ url: chainUrl });
    const info = await client.info().catch((error: unknown) => {
      throw new StandaloneConfigError(
        `Cannot reach the chain node at CHAIN_URL=${chainUrl}: ${(error as Error).message}`,
      );
    });
    const feed = clientFeed(client, {
      onRetry: (error, attempt) => logger.warn({ err: error.message, attempt }, 'chain feed retrying'),
    });
    const metrics = createMetrics();
    const services: AppServices = {
      config,
      database,
      logger,
      metrics,
      chain: { client, feed, chainId: info.chainId, suite: info.suite },
      issuer,
      publicUrl: config.publicUrl,
      mqttUrl: config.mqttUrl ?? 'mqtt://127.0.0.1:1883',
      suiteSecret,
      suite: { apps: opts.apps ?? ('manifest' in def ? [suiteAppInfo(def)] : []) },
    };

    const mounted = await mountApp(def, services, opts.mount);
    closers.push(() => mounted.close());

    const app = express();
    app.disable('x-powered-by');
    const trustProxy = env.TRUST_PROXY?.trim();
    if (trustProxy) app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
    app.get('/', (_req, res) => res.redirect(302, `/${def.id}/`));
    app.get('/metrics', metricsHandler(metrics.registry));
    app.use(`/${def.id}`, mounted.router);
    app.use((req, res) => {
      res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
    });

    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host);
      // Idle keep-alive connections held a minute, as the suite's and the node's servers do.
      holdIdleConnections(s);
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/${def.id}/`;
    logger.info({ url, chain: chainUrl, issuer }, 'app running standalone');
    return { url, server, services, close };
  } catch (error) {
    await close();
    throw error;
  }
}
