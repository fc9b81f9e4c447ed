/** The product server's process: configuration from the environment, the app from compose, listen, stop. */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config';
import { compose } from './compose';

/**
 * The built tab: ../tab beside the built server/main.js (the deploy package's layout), or the
 * repository's dist/tab when server/main.ts runs from source (its ../tab is the tab's source).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const defaultStaticDir = import.meta.url.endsWith('.js') ? path.resolve(here, '..', 'tab') : path.resolve(here, '..', 'dist', 'tab');

try {
  const config = loadConfig(process.env, { staticDir: defaultStaticDir });
  const { handler } = await compose(config);
  const { port, listenHost } = config.server;
  const listener = http
    .createServer(handler)
    .listen({ port, host: listenHost }, () =>
      console.log(
        `Delegate Desk server on http://localhost:${port} (tab at /tab, bot at /api/messages), instance ${config.server.instanceName}, state ${config.storage.kind === 'redis' ? 'on Redis' : 'in memory'}`,
      ),
    );
  // App Service stops an instance with SIGTERM: finish the requests in progress, then leave.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      listener.close(() => process.exit(0));
      listener.closeIdleConnections();
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
