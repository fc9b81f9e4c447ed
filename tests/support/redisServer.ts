/**
 * A real redis-server for tests (Debian's `redis-server` package; .ci/run installs it): on a free
 * loopback port, no persistence, started with spawnTree so it stops with its whole group. No mock.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import path from 'node:path';
import { spawnTree, waitFor, type ProcessTree } from '../../scripts/processes';
import { freePort } from './ports';

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM to its group); start() brings it back on the same port, empty. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: the server keeps its connections open but answers nothing (a hung network). */
  freeze(): void;
  thaw(): void;
}

/** Debian's redis-server on PATH, or REDIS_SERVER_BIN; missing, the tests fail saying how to install it. */
export function redisServerBinary(env: NodeJS.ProcessEnv = process.env): string {
  const dirs = [...(env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  const candidates = env.REDIS_SERVER_BIN ? [env.REDIS_SERVER_BIN] : dirs.filter(Boolean).map((d) => path.join(d, 'redis-server'));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'redis-server is not installed: these tests run a real Redis. Install it with `apt-get install -y redis-server` (.ci/run does).',
    );
  }
  return found;
}

/** True when something on the port answers a RESP PING (+PONG, or -NOAUTH with a password). */
const answers = (port: number, secure: boolean) =>
  new Promise<boolean>((resolve) => {
    // Only "is it up": the client under test checks the certificate.
    const socket = secure ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(/^[+-]/.test(d.toString())));
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
  });

export interface RedisServerOptions {
  password?: string;
  /** TLS only (as Azure Cache for Redis on 6380): the URL is rediss://localhost:<port>. */
  tls?: { certPath: string; keyPath: string };
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  const port = await freePort();
  let tree: ProcessTree | undefined;
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  if (options.tls) {
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.certPath, '--tls-key-file', options.tls.keyPath);
    args.push('--tls-auth-clients', 'no');
  } else args.push('--port', String(port));
  if (options.password) args.push('--requirepass', options.password);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  const server: RedisServer = {
    url: options.tls ? `rediss://${auth}localhost:${port}` : `redis://${auth}127.0.0.1:${port}`,
    port,
    async start() {
      let output = '';
      tree = spawnTree(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      tree.child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      tree.child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const started = tree;
      let exited = false;
      void started.exited.then(() => (exited = true));
      if (!(await waitFor(async () => exited || (await answers(port, !!options.tls)), 10_000)) || exited) {
        await started.stop('SIGKILL');
        throw new Error(`redis-server did not start on port ${port}:\n${output.slice(-2000)}`);
      }
    },
    freeze: () => void (tree?.pid && process.kill(tree.pid, 'SIGSTOP')),
    thaw: () => void (tree?.pid && process.kill(tree.pid, 'SIGCONT')),
    async stop() {
      await tree?.stop('SIGTERM');
      tree = undefined;
    },
  };
  await server.start();
  return server;
}
