/** The product server's process: configuration from the environment, the app from compose, listen, stop. */
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config';
import { compose } from './compose';

/** The built tab beside this file: dist/tab from dist/server/main.js (production), or from server/main.ts (development). */
const here = path.dirname(fileURLToPath(import.meta.url));
const defaultStaticDir =
  [path.resolve(here, '..', 'tab'), path.resolve(here, '..', 'dist', 'tab')].find((d) => existsSync(path.join(d, 'index.html'))) ?? path.resolve(here, '..', 'dist', 'tab');

try {
  const config = loadConfig(process.env, { staticDir: defaultStaticDir });
  const { handler } = await compose(config);
  const { port, listenHost } = config.server;
  const listener = http.createServer(handler).listen({ port, host: listenHost }, () => console.log(`Delegate Desk server on http://localhost:${port} (tab at /tab, bot at /api/messages)`));
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
