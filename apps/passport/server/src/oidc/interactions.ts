// The express side of sign-in: oidc-provider sends the browser to `<issuer>/interaction/<uid>`, which
// forwards to the passport web (`/passport/#/login/<uid>`). The page then talks to the JSON endpoints
// below; they live under the interaction's path so the browser sends oidc-provider's interaction cookie
// with them, which binds each call to the browser that started the sign-in.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { LoginError, type LoginService } from '../login';
import type { PassportOidc } from './provider';

export interface InteractionDeps {
  oidc: () => Promise<PassportOidc>;
  login: () => Promise<LoginService>;
  /** The passport web, e.g. `/passport/`. */
  webBase: string;
  demo: boolean;
  logger: { warn(obj: object, msg?: string): void };
}

const LOGOUT_SCRIPT = `(function(){var f=document.getElementById('op.logoutForm');if(!f)return;var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();})();`;

type Handler = (req: express.Request, res: express.Response) => Promise<void>;

/** Errors from oidc-provider (no interaction, expired cookie) and refused logins answer 4xx JSON. */
function json(handler: Handler, logger: InteractionDeps['logger']): express.RequestHandler {
  return (req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (error instanceof LoginError) {
        res
          .status(error.code === 'invalid_request' ? 400 : 401)
          .json({ error: { code: error.code, message: error.message } });
        return;
      }
      const e = error as {
        name?: string;
        status?: number;
        error?: string;
        error_description?: string;
        message?: string;
      };
      if (e?.name === 'SessionNotFound' || e?.status === 400 || e?.error) {
        res.status(e.status && e.status < 500 ? e.status : 400).json({
          error: {
            code: e.error ?? 'interaction_not_found',
            message:
              e.error_description ??
              'this sign-in has expired or belongs to another browser: start again from the app',
          },
        });
        return;
      }
      logger.warn({ err: error }, 'interaction endpoint failed');
      res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
    });
  };
}

function requireUid(details: { uid: string }, req: express.Request): void {
  if (details.uid !== req.params['uid']) {
    throw new LoginError('invalid_request', 'this page belongs to another sign-in: start again from the app');
  }
}

export function interactionRoutes(router: express.Router, deps: InteractionDeps): void {
  const parse = express.json({ limit: '8kb' });
  const raw = (req: express.Request): [IncomingMessage, ServerResponse] => [req, req.res as ServerResponse];

  router.get('/oidc/assets/logout.js', (_req, res) => {
    res.type('application/javascript').set('cache-control', 'public, max-age=3600').send(LOGOUT_SCRIPT);
  });

  router.get('/oidc/interaction/:uid', (req, res) => {
    const uid = String(req.params['uid']);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(uid)) {
      res.status(400).type('text').send('bad interaction id');
      return;
    }
    res.redirect(303, `${deps.webBase}#/login/${encodeURIComponent(uid)}`);
  });

  router.get(
    '/oidc/interaction/:uid/details',
    json(async (req, res) => {
      const oidc = await deps.oidc();
      const details = await oidc.provider.interactionDetails(...raw(req));
      requireUid(details, req);
      const clientId = String(details.params.client_id ?? '');
      const client = await oidc.provider.Client.find(clientId);
      res.json({
        uid: details.uid,
        prompt: {
          name: details.prompt.name,
          reasons: details.prompt.reasons,
          details: details.prompt.details,
        },
        client: {
          id: clientId,
          name: client?.clientName ?? clientId,
          firstParty: oidc.isFirstParty(clientId),
        },
        scopes: String(details.params.scope ?? '')
          .split(' ')
          .filter(Boolean),
        accountId: details.session?.accountId ?? null,
        demo: deps.demo,
      });
    }, deps.logger),
  );

  // The same as tRPC `login.challenge`, but cookie-bound: only the browser that started the sign-in gets one.
  router.post(
    '/oidc/interaction/:uid/challenge',
    json(async (req, res) => {
      const oidc = await deps.oidc();
      const details = await oidc.provider.interactionDetails(...raw(req));
      requireUid(details, req);
      const issued = await (await deps.login()).issue(details.uid);
      res.json({ uid: details.uid, challenge: issued.challenge, expiresAt: issued.expiresAt.toISOString() });
    }, deps.logger),
  );

  router.post(
    '/oidc/interaction/:uid/login',
    parse,
    json(async (req, res) => {
      const oidc = await deps.oidc();
      const details = await oidc.provider.interactionDetails(...raw(req));
      requireUid(details, req);
      if (details.prompt.name !== 'login') {
        throw new LoginError('invalid_request', 'this sign-in does not ask for a login');
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const accountId = await (await deps.login()).verify({
        uid: details.uid,
        address: String(body['address'] ?? ''),
        publicKey: String(body['publicKey'] ?? ''),
        signature: String(body['signature'] ?? ''),
        ...(typeof body['challenge'] === 'string' && { challenge: body['challenge'] }),
      });
      const redirectTo = await oidc.provider.interactionResult(
        ...raw(req),
        { login: { accountId, amr: ['sig'], remember: true } },
        { mergeWithLastSubmission: false },
      );
      res.json({ redirectTo });
    }, deps.logger),
  );

  // Consent for third-party clients: grants what the client asked for (the page showed it).
  router.post(
    '/oidc/interaction/:uid/confirm',
    parse,
    json(async (req, res) => {
      const oidc = await deps.oidc();
      const details = await oidc.provider.interactionDetails(...raw(req));
      requireUid(details, req);
      if (details.prompt.name !== 'consent' || !details.session?.accountId) {
        throw new LoginError('invalid_request', 'this sign-in does not ask for consent');
      }
      const clientId = String(details.params.client_id ?? '');
      const grant = details.grantId
        ? ((await oidc.provider.Grant.find(details.grantId)) ??
          new oidc.provider.Grant({ accountId: details.session.accountId, clientId }))
        : new oidc.provider.Grant({ accountId: details.session.accountId, clientId });
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      const grantId = await grant.save();
      const redirectTo = await oidc.provider.interactionResult(
        ...raw(req),
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      res.json({ redirectTo });
    }, deps.logger),
  );

  router.post(
    '/oidc/interaction/:uid/abort',
    parse,
    json(async (req, res) => {
      const oidc = await deps.oidc();
      const details = await oidc.provider.interactionDetails(...raw(req));
      requireUid(details, req);
      const redirectTo = await oidc.provider.interactionResult(
        ...raw(req),
        { error: 'access_denied', error_description: 'the person declined' },
        { mergeWithLastSubmission: false },
      );
      res.json({ redirectTo });
    }, deps.logger),
  );

  // Everything else under /oidc is the provider itself (discovery, auth, token, jwks, logout…).
  router.use('/oidc', (req, res, next) => {
    deps
      .oidc()
      .then((oidc) => oidc.handle(req, res))
      .catch(next);
  });
}
