// The app module: everything the suite needs to know about one app, in the one object the app exports.
// The host (the portal, runStandalone, a test harness) reads it to mount the app, build the chain's
// genesis, tell passport which clients and roles exist and tell the explorer where decoder packs live, so
// adding an app never means editing lists elsewhere.
import type { Config } from '@gongxin/config';
import { assertAppSchemaName } from '@gongxin/db';
import type { CryptoSuite, Value, ValueMap } from '@gongxin/ledger';
import type { AnyTRPCRouter } from '@trpc/server';
import { parseRole } from './roles';
import type { AppDefinition, AppManifest, SuiteAppInfo } from './services';

/** What an app's genesis contribution may depend on. */
export interface GenesisContext {
  config: Config;
  /** The crypto suite of the chain being created (addresses depend on it). */
  suite: CryptoSuite;
}

/** Genesis sections by contract name, e.g. `{ identity: { accounts: […], roles: […] } }`. */
export type GenesisContribution = Record<string, Value>;

export interface SuiteAppDefinition<TRouter extends AnyTRPCRouter = AnyTRPCRouter, TRuntime = undefined>
  extends Omit<AppDefinition<TRouter, TRuntime>, 'title'> {
  manifest: AppManifest;
  /**
   * Genesis sections the app needs on a new embedded chain: its own officers, organisations and service
   * accounts (usually only when `config.demo` is on). The host merges every app's with `mergeGenesis`.
   */
  genesis?: (ctx: GenesisContext) => GenesisContribution;
  /** Path, relative to the app (`/<id>/`), of the ES module teaching the explorer its contract's events. */
  explorerDecoders?: string;
}

/** An app module as `defineSuiteApp` returns it: also an AppDefinition, so `mountApp` takes it. */
export type SuiteApp<TRouter extends AnyTRPCRouter = AnyTRPCRouter, TRuntime = undefined> = Readonly<
  SuiteAppDefinition<TRouter, TRuntime> & { title: AppManifest['title'] }
>;

/** A suite app of any router and runtime, as lists of apps hold them. */
// biome-ignore lint/suspicious/noExplicitAny: a list holds apps whose runtimes differ.
export type AnySuiteApp = SuiteApp<AnyTRPCRouter, any>;

/** Declares an app module; checked here so a bad id, role or decoder path fails where it is written. */
export function defineSuiteApp<TRouter extends AnyTRPCRouter, TRuntime = undefined>(
  def: SuiteAppDefinition<TRouter, TRuntime>,
): SuiteApp<TRouter, TRuntime> {
  assertAppSchemaName(def.id);
  const seen = new Set<string>();
  for (const role of def.manifest.roles) {
    // The role must survive the round trip through passport's ID token (`<app>:<role>`).
    if (parseRole(`${def.id}:${role.id}`)?.role !== role.id) {
      throw new Error(
        `app ${def.id}: role id ${JSON.stringify(role.id)} must be a lowercase slug (a-z first, then a-z 0-9 _ . -)`,
      );
    }
    if (seen.has(role.id)) throw new Error(`app ${def.id}: role ${role.id} is declared twice`);
    seen.add(role.id);
  }
  if (def.explorerDecoders !== undefined && !/^[a-z0-9][a-z0-9._/-]*\.js$/.test(def.explorerDecoders)) {
    throw new Error(
      `app ${def.id}: explorerDecoders must be a relative path to a .js module, e.g. "explorer-decoders.js"`,
    );
  }
  return Object.freeze({ ...def, title: def.manifest.title });
}

/** How the host describes a mounted app to the other apps (`services.suite.apps`). */
export function suiteAppInfo(
  app: Pick<SuiteAppDefinition, 'id' | 'manifest' | 'explorerDecoders'>,
): SuiteAppInfo {
  return {
    id: app.id,
    path: `/${app.id}/`,
    ...app.manifest,
    ...(app.explorerDecoders && { decoderPack: `/${app.id}/${app.explorerDecoders}` }),
  };
}

/** Every app's genesis contribution for a new chain, merged. */
export function suiteGenesis(apps: readonly AnySuiteApp[], ctx: GenesisContext): GenesisContribution {
  return mergeGenesis(apps.map((app) => app.genesis?.(ctx) ?? {}));
}

/** Merge genesis sections by contract; lists under the same key are concatenated, maps merged. */
export function mergeGenesis(parts: readonly Record<string, Value>[]): Record<string, Value> {
  const out: Record<string, Value> = {};
  const merge = (a: Value | undefined, b: Value, path: string): Value => {
    if (a === undefined) return b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    if (
      a &&
      b &&
      typeof a === 'object' &&
      typeof b === 'object' &&
      !(a instanceof Uint8Array) &&
      !(b instanceof Uint8Array) &&
      !Array.isArray(a) &&
      !Array.isArray(b)
    ) {
      const m: Record<string, Value> = { ...(a as ValueMap) };
      for (const [k, v] of Object.entries(b as ValueMap)) m[k] = merge(m[k], v, `${path}.${k}`);
      return m;
    }
    throw new Error(`conflicting genesis values from two apps at ${path}`);
  };
  for (const part of parts) for (const [k, v] of Object.entries(part)) out[k] = merge(out[k], v, k);
  return out;
}
