/**
 * One product instance as a process of its own, for the scale tests: configured from the environment
 * and built by compose exactly as server/main.ts does, except that the bot signs people in with Teams
 * SSO (the token exchange, as in a real tenant) instead of the dev identity, so that a sign-in held in
 * the shared bot state is what carries over to another instance. Stops on SIGTERM; SIGKILL is the test's.
 */
import http from 'node:http';
import { loadConfig } from '../../server/config';
import { compose } from '../../server/compose';
import { FAST_RETRY } from './desk';

const config = loadConfig(process.env, { staticDir: '/nonexistent' });
const app = await compose(config, { botIdentity: 'sso', desk: { retry: FAST_RETRY } });
const server = http
  .createServer(app.handler)
  .listen(config.server.port, '127.0.0.1', () => console.log(`listening as ${config.server.instanceName}`));
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void app.close().finally(() => process.exit(0));
});
