/**
 * Where the server listens: in local development (the dev identity signs chat users in without SSO)
 * on loopback only, so nobody on the network can act as a dev tenant user; with a bot registration on
 * every interface (App Service's front end connects from outside). Read from the kernel's socket table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestTenant, type TestTenant } from '../devtenant/testkit';
import { spawnTree, type ProcessTree } from '../scripts/processes';
import { envFor } from './support/app';
import { freePort } from './support/ports';

let dt: TestTenant;
const started: ProcessTree[] = [];

beforeAll(async () => {
  dt = await startTestTenant();
});
afterAll(async () => {
  for (const p of started) await p.stop();
  await dt.close();
});

/** The local addresses listening on this port (IPv4 and IPv6 tables), as the kernel lists them. */
function listeningAddresses(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // 0A: LISTEN.
      if (state === '0A' && local?.endsWith(`:${hex}`)) found.push(local.split(':')[0]!);
    }
  }
  return found;
}

async function start(env: Record<string, string | undefined>): Promise<number> {
  const port = await freePort();
  const server = spawnTree(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(server);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes('Delegate Desk server on')) resolve();
    };
    server.child.stdout!.on('data', onData);
    server.child.stderr!.on('data', onData);
    void server.exited.then(() => reject(new Error(`the server stopped: ${output}`)));
  });
  return port;
}

describe('where the server listens', () => {
  it('listens on loopback only in local development', async () => {
    const port = await start(envFor(dt));
    expect(listeningAddresses(port)).toEqual(['0100007F']); // 127.0.0.1
  });

  it('listens on every interface with a bot registration', async () => {
    const env = {
      ...envFor(dt),
      BOT_ID: dt.clientId,
      BOT_PASSWORD: 'secret',
      DEVTENANT_CONFIG_URL: undefined,
      LOCAL_TEAMS_HOST_ORIGIN: undefined,
    };
    const port = await start(env);
    const addresses = listeningAddresses(port);
    expect(
      addresses.some((a) => /^0+$/.test(a)),
      addresses.join(','),
    ).toBe(true); // 0.0.0.0 or ::
  });
});
