/**
 * The dev tenant: one HTTPS server on loopback that speaks Entra ID (/{tenant}/...), Microsoft Graph
 * (/v1.0, /beta) and an admin API (/devtenant/). Tests start their own with startDevTenant().
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { parseSeed, type Seed, type SeedInput } from './tenant/seedTypes';
import { Tenant } from './tenant/tenant';
import { TenantClock } from './tenant/clock';
import { KeySet } from './identity/keys';
import { GrantStore } from './identity/tokenEndpoint';
import { identityRoutes } from './identity/routes';
import { Counters } from './counters';
import { Faults, type FaultConfigInput } from './faults/faults';
import { GraphRouter } from './graph/core';
import { graphHttp } from './graph/http';
import { delegationRoutes } from './graph/routes/delegation';
import { userRoutes } from './graph/routes/users';
import { presenceRoutes } from './graph/routes/presence';
import { batchRoute } from './graph/batch';
import { adminRoutes } from './admin/routes';
import { ensureDevCertificates } from './certs';
import type { DevTenantContext } from './context';
import { graphExtensions } from './graph/extensions';
import { NotificationSettings, type NotificationSettingsInput } from './graph/notifications';

export const defaultSeedPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'seed', 'contoso.json');

export interface DevTenantOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** A parsed seed, a seed object, or a path to a seed JSON file. Default: devtenant/seed/contoso.json. */
  seed?: Seed | SeedInput | string;
  /** Deterministic mode: fixed clock for the presence schedule. */
  fixedClock?: Date;
  randomSeed?: number;
  presenceIntervalSeconds?: number;
  pageSize?: number;
  faults?: FaultConfigInput;
  /** Change notification delivery: delay, jitter and retry (default: no delay, 4 tries). */
  notifications?: NotificationSettingsInput;
  /** Deterministic fault dice for tests. */
  random?: () => number;
  stateDir?: string;
  quiet?: boolean;
}

export interface DevTenant {
  origin: string;
  port: number;
  tenant: Tenant;
  context: DevTenantContext;
  caPath: string;
  close(): Promise<void>;
}

async function loadSeed(seed: DevTenantOptions['seed']): Promise<Seed> {
  if (seed === undefined || typeof seed === 'string') {
    const file = seed ?? defaultSeedPath;
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new Error(`Cannot read the dev tenant seed file ${file}: ${(e as Error).message}`, { cause: e });
    }
    return parseSeed(json, `seed file ${file}`);
  }
  return parseSeed(seed);
}

export async function startDevTenant(options: DevTenantOptions = {}): Promise<DevTenant> {
  const seed = await loadSeed(options.seed);
  const certs = await ensureDevCertificates(options.stateDir);
  const tenant = new Tenant(seed, {
    clock: new TenantClock(options.fixedClock),
    randomSeed: options.randomSeed ?? 1,
    presenceIntervalSeconds: options.presenceIntervalSeconds,
  });
  let origin = '';
  const ctx: DevTenantContext = {
    tenant,
    keys: await KeySet.create(),
    counters: new Counters(),
    faults: new Faults(options.faults, options.random),
    notifications: new NotificationSettings(options.notifications),
    grants: new GrantStore(),
    origin: () => origin,
    pageSize: options.pageSize ?? 100,
    quiet: options.quiet ?? false,
  };

  const router = new GraphRouter();
  router.add(...delegationRoutes, ...userRoutes, ...presenceRoutes);
  const extensions = graphExtensions(ctx);
  router.add(...extensions.routes);
  router.add(batchRoute(router));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (!ctx.quiet) {
    app.use((req, res, next) => {
      const started = Date.now();
      res.on('finish', () => console.log(`[devtenant] ${req.method} ${req.path} ${res.statusCode} ${Date.now() - started}ms`));
      next();
    });
  }
  app.use('/devtenant', adminRoutes(ctx, { caPath: certs.caPath, mount: extensions.mountAdmin }));
  app.use(graphHttp(ctx, router));
  app.use(identityRoutes(ctx));
  app.get('/', (_req, res) => void res.redirect('/devtenant/config'));
  app.use(
    (req, res) =>
      void res.status(404).json({ error: { code: 'NotFound', message: `The dev tenant has no endpoint ${req.method} ${req.path}` } }),
  );
  // Malformed JSON and other body errors: answer like Graph does instead of an HTML page.
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err.status ?? 400).json({
      error: {
        code: 'BadRequest',
        message:
          err.status && err.status < 500
            ? 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'
            : 'An internal server error occurred.',
      },
    });
  });

  const server = https.createServer({ cert: certs.cert, key: certs.key }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://localhost:${port}`;
  extensions.start();

  return {
    origin,
    port,
    tenant,
    context: ctx,
    caPath: certs.caPath,
    close: async () => {
      extensions.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
