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
async function runStart() {
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
  const server = family.find((p) => p.cmdline.includes('server/main.ts'));
  expect(server, JSON.stringify(family)).toBeDefined();
  // Also in this run's own record: if this worker were killed before stopping it, the end-of-run check ends it.
  const suiteLog = process.env[PROCESS_LOG_ENV];
  if (suiteLog) recordGroup(suiteLog, server!.pgid, server!.cmdline);
  return { start, server: server!, family, output: () => output };
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
});
