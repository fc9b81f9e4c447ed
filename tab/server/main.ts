/** Starts the product server (tab, API, bot endpoint) with configuration from the environment. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDelegateDesk, loadConfig } from '../../shared';
import { loadServerConfig } from './config';
import { createApp } from './app';

export const defaultStaticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'tab');

try {
  const config = loadConfig(process.env);
  const server = loadServerConfig(process.env, { staticDir: defaultStaticDir });
  const app = createApp({ desk: createDelegateDesk(config), config, staticDir: server.staticDir, localHostOrigin: server.localHostOrigin, pollSeconds: server.pollSeconds });
  app.listen(server.port, () => console.log(`Delegate Desk server on http://localhost:${server.port} (tab at /tab)`));
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
