/**
 * `npm start` stops what it started: run as npm runs it (tsx scripts/start.ts, on free ports), it builds
 * the tab and starts the product server; SIGTERM to the start process alone (not its group) must end the
 * server too, and a server that dies must end `npm start` with a non-zero code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  PROCESS_LOG_ENV,
  descendants,
  groupMembers,
  listProcesses,
  nodeBin,
  readProcessLog,
  reapLeftovers,
  recordGroup,
  signalGroup,
  spawnTree,
  waitFor,
  type ProcessInfo,
  type ProcessTree,
} from './processes';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const dir = mkdtempSync(path.join(tmpdir(), 'dd-start-'));
let runs = 0;
let current: { start: ProcessTree; log: string; family: ProcessInfo[] } | undefined;

const alive = (p: ProcessInfo) => listProcesses().some((q) => q.pid === p.pid && q.startTime === p.startTime && q.state !== 'Z');

afterEach(async () => {
  // Whatever a failed test left: the start process's group, every group it recorded, every process it started.
  if (!current) return;
  await current.start.stop('SIGKILL');
  await reapLeftovers(current.log, () => {}, 0);
  for (const p of current.family.filter(alive)) process.kill(p.pid, 'SIGKILL');
  current = undefined;
});

/**
 * Starts `npm start`'s script and waits until the product server answers; returns it, the server's
 * process and every process below the start process at that moment.
 */
async function runStart(extraEnv: NodeJS.ProcessEnv = {}) {
  const [port, devtenantPort, hostPort] = [await freePort(), await freePort(), await freePort()];
  const log = path.join(dir, `processes-${++runs}.jsonl`);
  const [node, args] = nodeBin('tsx', ['scripts/start.ts']);
  const start = spawnTree(node, args, {
    env: {
      ...process.env,
      PORT: String(port),
      DEVTENANT_PORT: String(devtenantPort),
      DEVTENANT_HOST_PORT: String(hostPort),
      DD_PROCESS_LOG: log,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  current = { start, log, family: [] };
  let output = '';
  start.child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  start.child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  let ended = false;
  void start.exited.then(() => (ended = true));
  expect(await waitFor(() => ended || output.includes('➜ Open'), 90_000), output).toBe(true);
  expect(ended, output).toBe(false);
  const serving = async () => {
    try {
      return (await fetch(`http://localhost:${port}/api/health`)).status === 200;
    } catch {
      return false;
    }
  };
  expect(await waitFor(async () => ended || (await serving()), 60_000, 200), output).toBe(true);
  expect(ended, output).toBe(false);
  const family = descendants(start.pid!);
  current.family = family;
  const servers = family.filter((p) => p.cmdline.includes('server/main.ts'));
  const server = servers[0];
  expect(server, JSON.stringify(family)).toBeDefined();
  // Also in this run's own record: if this worker were killed before stopping it, the end-of-run check ends it.
  const suiteLog = process.env[PROCESS_LOG_ENV];
  if (suiteLog) for (const p of family.filter((q) => q.pgid === q.pid)) recordGroup(suiteLog, p.pgid, p.cmdline);
  return { start, server: server!, servers, family, port, output: () => output };
}

describe('npm start', () => {
  it('stops the product server when it gets SIGTERM', async () => {
    const { start, server, family, output } = await runStart();

    process.kill(start.pid!, 'SIGTERM'); // the start process only, as a supervisor would
    expect((await start.exited).code, output()).toBe(0);
    expect(await waitFor(() => family.every((p) => !alive(p)), 15_000), JSON.stringify(family.filter(alive))).toBe(true);
    expect(groupMembers(server.pgid)).toEqual([]);
    // start.ts started the server in a group of its own, and recorded it for the end-of-run check.
    expect(server.pgid).toBe(server.pid);
    expect(readProcessLog(current!.log).map((r) => r.pgid)).toEqual([server.pgid]);
    expect(groupMembers(start.pid!)).toEqual([]);
  }, 180_000);

  it('says so and exits non-zero when the product server dies', async () => {
    const { start, server, output } = await runStart();
    signalGroup(server.pgid, 'SIGKILL');
    const { code } = await start.exited;
    expect(code, output()).not.toBe(0);
    expect(output()).toMatch(/The server stopped \(signal SIGKILL\)/);
    expect(await waitFor(() => groupMembers(start.pid!).length === 0, 15_000)).toBe(true);
  }, 180_000);

  it('INSTANCES=2: two servers behind one entry point on PORT, round-robin, on a Redis it starts and stops', async () => {
    const { start, servers, family, port, output } = await runStart({ INSTANCES: '2', REDIS_URL: '' });
    expect(servers, JSON.stringify(family)).toHaveLength(2);
    const redis = family.filter((p) => p.cmdline.includes('redis-server'));
    expect(redis, JSON.stringify(family)).toHaveLength(1);
    expect(redis[0]!.cmdline).toMatch(/127\.0\.0\.1:\d+/);
    const servedBy = async () => {
      const names: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`http://localhost:${port}/api/health`);
        expect(await res.json()).toEqual({ status: 'ok', store: 'ok' });
        names.push(res.headers.get('x-served-by') ?? '');
      }
      return names;
    };
    // The second server may still be starting (the entry point sends everything to the first meanwhile).
    expect(await waitFor(async () => new Set(await servedBy()).size === 2, 60_000, 500)).toBe(true);
    const names = await servedBy();
    expect(new Set(names)).toEqual(new Set(['instance-1', 'instance-2']));
    // Round-robin: one, then the other.
    expect([names[0] !== names[1], names[1] !== names[2], names[2] !== names[3]]).toEqual([true, true, true]);
    expect(output()).toMatch(/Redis \(no persistence\) on redis:\/\/127\.0\.0\.1:\d+/);
    // The tab (built once, served by both) through the entry point.
    const tab = await fetch(`http://localhost:${port}/tab`);
    expect([tab.status, (await tab.text()).includes('<div id="root">')]).toEqual([200, true]);

    process.kill(start.pid!, 'SIGTERM');
    expect((await start.exited).code, output()).toBe(0);
    expect(await waitFor(() => family.every((p) => !alive(p)), 20_000), JSON.stringify(family.filter(alive))).toBe(true);
  }, 180_000);

  it('INSTANCES=2 with neither REDIS_URL nor redis-server says in one line how to install it', async () => {
    const [node, args] = nodeBin('tsx', ['scripts/start.ts']);
    const start = spawnTree(node, args, {
      env: { ...process.env, INSTANCES: '2', REDIS_URL: '', PATH: dir, DD_PROCESS_LOG: path.join(dir, 'none.jsonl') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    start.child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    start.child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    expect((await start.exited).code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      'INSTANCES=2 shares state on Redis: set REDIS_URL, or install redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis).',
    ]);
  }, 60_000);
});
