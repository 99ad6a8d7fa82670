// Everything passport builds once per mount (the app module's `setup`, after app-kit ran passport's
// migrations): its secret-derived keys, the OpenID Provider with every app the host mounts as a
// first-party client, the login and registration services and a logger that redacts ID numbers.
import type { AppServices } from '@gongxin/app-kit';
import { clockOf, suiteClientFor } from '@gongxin/app-kit';
import type { Logger } from '@gongxin/telemetry';
import { loadPassportKeys, type PassportKeys } from './crypto';
import { type DemoAccount, demoAccounts, seedDemoData } from './demo';
import { DevelopmentVerifier, type LivenessVerifier } from './liveness';
import { LoginService } from './login';
import { type ClientMetadata, PassportOidc } from './oidc/provider';
import { RegistrationService } from './registration';

export interface PassportOptions {
  /** Default: the DevelopmentVerifier (performs no real check). */
  verifier?: LivenessVerifier;
  /** Default: PASSPORT_SECRET, else DATA_DIR/passport/secret.key. */
  keys?: PassportKeys;
  /** Demo accounts to seed when `config.demo` is on. Default: demoAccounts(). */
  demoAccounts?: DemoAccount[];
  /** Per-IP limit on the sign-in endpoints. Default 120 a minute; false turns it off (tests). */
  signInRateLimit?: { limit: number; windowMs?: number } | false;
}

export interface PassportRuntime {
  services: AppServices;
  keys: PassportKeys;
  oidc: PassportOidc;
  login: LoginService;
  registration: RegistrationService;
  verifier: LivenessVerifier;
  /** Origins a browser may sign login and application messages from. */
  origins: string[];
  logger: Logger;
  demo: boolean;
  demoAccounts: DemoAccount[];
}

/** Log paths that could carry an ID number or a name: never written in the clear. */
export const PASSPORT_REDACT_PATHS = [
  'password',
  '*.password',
  'privateKey',
  '*.privateKey',
  'req.headers.authorization',
  'req.headers.cookie',
  'idNumber',
  '*.idNumber',
  '*.*.idNumber',
  'realName',
  '*.realName',
  '*.*.realName',
  'input.idNumber',
  'body.idNumber',
  'req.body.idNumber',
];

export async function createPassportRuntime(
  services: AppServices,
  options: PassportOptions,
): Promise<PassportRuntime> {
  const logger = services.logger.child(
    { component: 'passport' },
    { redact: { paths: PASSPORT_REDACT_PATHS, censor: '[redacted]' } },
  );
  const keys = options.keys ?? loadPassportKeys({ dataDir: services.config.dataDir });
  const publicUrl = services.publicUrl.replace(/\/+$/, '');
  const origins = [...new Set([new URL(publicUrl).origin, new URL(services.issuer).origin])];
  const client = services.chain.client;
  const suite = () => client.suite();
  // Every app the host mounts signs in here as a first-party client (client id = app id); passport itself
  // too, whether or not the host listed it.
  const appIds = [...new Set(['passport', ...services.suite.apps.map((app) => app.id)])];
  const suiteClients: ClientMetadata[] = appIds.map((id) => ({
    ...suiteClientFor(id, publicUrl, services.suiteSecret),
    client_name: id,
  }));
  const oidc = await PassportOidc.create({
    database: services.database,
    keys,
    issuer: services.issuer,
    chain: client,
    suiteClients,
    logger,
  });
  const verifier = options.verifier ?? new DevelopmentVerifier();
  if (verifier.development) {
    logger.warn(
      { verifier: verifier.name },
      'passport uses a DEVELOPMENT liveness verifier: it checks nothing',
    );
  }
  const accounts = options.demoAccounts ?? demoAccounts(await suite());
  const runtime: PassportRuntime = {
    services,
    keys,
    oidc,
    login: new LoginService(services.database, client, suite, origins),
    registration: new RegistrationService(
      services.database,
      client,
      suite,
      keys,
      verifier,
      origins,
      clockOf(services),
    ),
    verifier,
    origins,
    logger,
    demo: services.config.demo,
    demoAccounts: accounts,
  };
  if (runtime.demo) {
    const seeded = await seedDemoData({
      database: services.database,
      chain: client,
      keys,
      accounts,
      now: clockOf(services),
    });
    if (seeded > 0) logger.info({ seeded }, 'passport demo applications seeded (DEMO=true)');
  }
  logger.info(
    { issuer: services.issuer, secret: keys.source, clients: suiteClients.length },
    'passport ready',
  );
  return runtime;
}
