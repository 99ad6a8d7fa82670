// What the host (the portal, or runStandalone) gives every app, and what an app declares about itself.
// Types only: an app's code depends on these shapes, never on how the host built them.

import type { Account, ChainClient } from '@gongxin/client';
import type { Config } from '@gongxin/config';
import type { Database, Migrations } from '@gongxin/db';
import type { SuiteId } from '@gongxin/ledger';
import type { Logger, Metrics } from '@gongxin/telemetry';
import type { AnyTRPCRouter } from '@trpc/server';
import type express from 'express';
import type { ChainFeed } from './indexer/feed';
import type { Indexer, IndexerDefinition } from './indexer/indexer';
import type { DeviceIngestDefinition } from './ingest/device-ingest';
import type { Leadership } from './leader';

export interface ChainAccess {
  /** The node API (`/chain`) over HTTP, for queries and submission. */
  client: ChainClient;
  /** Committed blocks with their events, for indexers. */
  feed: ChainFeed;
  chainId: string;
  suite: SuiteId;
  /** The app's own service key, where a deployment configures one. */
  serviceSigner?: Account;
}

export interface AppServices {
  config: Config;
  /** Shared by every app; each app migrates (and only touches) its own schema. */
  database: Database;
  /** A child logger for this app. */
  logger: Logger;
  /** The process's shared registry; bad input is counted in `badInput`. */
  metrics: Metrics;
  chain: ChainAccess;
  /** Passport's OIDC issuer, e.g. `http://127.0.0.1:8080/passport/oidc`. */
  issuer: string;
  /** Where people reach the suite, without a trailing slash, e.g. `https://gongxin.example.cn`. */
  publicUrl: string;
  /** The MQTT broker (embedded or real). */
  mqttUrl: string;
  /**
   * The suite secret (≥ 32 characters) both passport and the apps hold: each app's OIDC client secret is
   * derived from it (`suiteClientFor`), so one secret configures every client.
   */
  suiteSecret: string;
  /** The apps this host mounts, as their manifests say (passport registers each as a first-party client). */
  suite: SuiteInfo;
  /**
   * Leader election for background work among processes sharing the database (`createLeadership`), one
   * per process for every app. Without it each mount elects on a connection of its own.
   */
  leadership?: Leadership;
  /**
   * The deployment clock (ms since the epoch) the chain's block times follow: metering intervals and
   * market slots read it. Absent: the wall clock.
   */
  clock?: () => number;
}

/** What the host says about the suite it runs. */
export interface SuiteInfo {
  apps: readonly SuiteAppInfo[];
}

export type Audience = 'public' | 'government' | 'enterprise' | 'everyone';

/** A role an app defines: granted on chain as `<app>:<id>`, carried in passport's ID token. */
export interface RoleDefinition {
  id: string;
  label: LocalizedText;
}

/** What an app says about itself to people and to the rest of the suite. */
export interface AppManifest {
  title: LocalizedText;
  summary: LocalizedText;
  audience: Audience;
  roles: readonly RoleDefinition[];
}

/** A mounted app as the host describes it to the other apps. */
export interface SuiteAppInfo extends AppManifest {
  id: string;
  /** Where the app is served, e.g. `/food/`. */
  path: string;
  /** Same-origin URL of the app's explorer decoder pack, e.g. `/food/explorer-decoders.js`. */
  decoderPack?: string;
}

export type LocalizedText = { 'zh-CN': string; en: string };

export interface RateLimitSetting {
  /** Requests per window per client IP. */
  limit: number;
  windowMs?: number;
}

export interface RateLimits {
  /** Everything under `/api` and `/auth/me`. Default 600 per minute. */
  api?: RateLimitSetting | false;
  /** `/auth/login`, `/auth/callback`, `/auth/logout`. Default 30 per minute. */
  auth?: RateLimitSetting | false;
}

export interface AppDefinition<TRouter extends AnyTRPCRouter = AnyTRPCRouter, TRuntime = undefined> {
  /** Also the URL path (`/<id>/`), the Postgres schema and the OIDC client id. */
  id: string;
  title?: LocalizedText;
  /** Built with this app's `initAppTRPC<TRuntime>()`; mounted at `/<id>/api/trpc`. */
  router: TRouter;
  migrations?: Migrations;
  /**
   * Builds what the app keeps per mount (service signers, caches, its OpenID Provider…), once, after its
   * migrations ran. Procedures get it as `ctx.app`; routes, the indexer and `start` as an argument.
   */
  setup?: (services: AppServices) => TRuntime | Promise<TRuntime>;
  /**
   * Its read models from chain events; mountApp runs it on the host's feed and reports it on /healthz.
   * A function when the definition needs the services (e.g. the chain's genesis) or the runtime first.
   */
  indexer?:
    | IndexerDefinition
    | ((services: AppServices, app: TRuntime) => IndexerDefinition | Promise<IndexerDefinition>);
  /** The built web front end (Vite `dist`, built with `base: '/<id>/'`). */
  webDist?: URL | string;
  /** Extra express routes (EPCIS REST, QR images…), relative to `/<id>/`; JSON bodies are parsed. */
  routes?: (router: express.Router, services: AppServices, app: TRuntime) => void;
  /** Background work; resolves to its stop function. Runs after the indexer (`mounted.indexer`) started. */
  start?: (
    services: AppServices,
    app: TRuntime,
    mounted: { indexer?: Indexer },
  ) => Promise<() => Promise<void>>;
  /**
   * Demo data written after start-up when the deployment is a demo (`DEMO=true`), in the background so
   * the host serves meanwhile; awaited on close. Must be idempotent: it runs on every start.
   */
  seed?: (services: AppServices, app: TRuntime) => Promise<void>;
  /**
   * The app's MQTT feeds: app-kit starts each (`startDeviceIngest` on the host's broker) once the app has
   * started, and stops them first on close. Stream names must differ.
   */
  // biome-ignore lint/suspicious/noExplicitAny: each feed decodes its own reading type.
  mqtt?: (services: AppServices, app: TRuntime) => readonly DeviceIngestDefinition<any>[];
  rateLimits?: RateLimits;
  /**
   * Origins the app's pages may connect to beyond its own (CSP connect-src), e.g. a service the person
   * runs on their own machine.
   */
  connectOrigins?: readonly string[];
}
