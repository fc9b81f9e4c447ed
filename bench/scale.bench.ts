/**
 * `npm run bench -- scale` (issue 14): the tab API on Redis, in the same run:
 * - throughput of warm GET /api/delegation with 1 and 2 instances (processes) behind the local entry
 *   point, 16 requests in flight (on this 2-core machine the entry point and the load run in this process);
 * - Redis commands per warm request (INFO commandstats around N sequential requests, less what the
 *   instances send when idle): the goal is at most 2 round trips;
 * - the latency Redis adds to a warm request against the memory store (p50, in-process, loopback).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { startTestTenant } from '../devtenant/testkit';
import { spawnTree, waitFor, type ProcessTree } from '../scripts/processes';
import { appFor, envFor } from '../tests/support/app';
import { freePort } from '../tests/support/ports';
import { startRedisServer } from '../tests/support/redisServer';
import { median, printComparison, summarise, printTable } from './stats';

const USERS = ['ada', 'ben', 'cleo', 'gus', 'hana'];
const IN_FLIGHT = 16;
const RUN_MS = 2_000;

const dt = await startTestTenant({ fixedClock: undefined });
const redis = await startRedisServer();
const trees: ProcessTree[] = [];
try {
  const tokens = await Promise.all(USERS.map((u) => dt.ssoToken(u)));
  const view = async (base: string, i: number) => {
    const res = await fetch(`${base}/api/delegation`, { headers: { Authorization: `Bearer ${tokens[i % tokens.length]}` } });
    if (res.status !== 200) throw new Error(`GET /api/delegation answered ${res.status}`);
    await res.arrayBuffer();
  };
  const warm = async (base: string, times: number) => {
    for (let i = 0; i < times * USERS.length; i++) await view(base, i);
  };

  // Two instances as processes, as in tests/scale.e2e.test.ts.
  const entryPort = await freePort();
  const instances: Array<{ name: string; url: string }> = [];
  for (const name of ['A', 'B']) {
    const port = await freePort();
    const env = envFor(dt, { PORT: String(port), PUBLIC_PORT: String(entryPort), INSTANCE_NAME: name, REDIS_URL: redis.url });
    const tree = spawnTree(process.execPath, ['--import', 'tsx', 'tests/support/scaleInstance.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    trees.push(tree);
    let out = '';
    tree.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    if (!(await waitFor(() => out.includes('listening'), 60_000))) throw new Error(`instance ${name} did not start`);
    instances.push({ name, url: `http://127.0.0.1:${port}` });
  }

  /** Requests completed per second over RUN_MS, IN_FLIGHT at a time. */
  async function throughput(base: string): Promise<number> {
    await warm(base, 4);
    let done = 0;
    const until = performance.now() + RUN_MS;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async (_, worker) => {
        for (let i = worker; performance.now() < until; i += IN_FLIGHT) {
          await view(base, i);
          done++;
        }
      }),
    );
    return done / (RUN_MS / 1000);
  }

  /** The entry point in a process of its own, as a load balancer is not on the machine that makes the load. */
  async function entryProcess(port: number, backends: typeof instances): Promise<string> {
    const script = `import { startBalancer } from './scripts/balancer.ts';
      const b = await startBalancer({ port: ${port}, backends: ${JSON.stringify(backends)}, log: () => {} });
      console.log('entry ' + b.port);`;
    const tree = spawnTree(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    trees.push(tree);
    let out = '';
    tree.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    if (!(await waitFor(() => /entry \d+/.test(out), 30_000))) throw new Error('the entry point did not start');
    return `http://127.0.0.1:${/entry (\d+)/.exec(out)![1]}`;
  }
  // Interleaved, three runs each, medians: the machine's load changes from one second to the next.
  const [oneEntry, twoEntry] = [await entryProcess(0, [instances[0]!]), await entryProcess(entryPort, instances)];
  const runs: Record<'direct' | 'one' | 'two', number[]> = { direct: [], one: [], two: [] };
  for (let round = 0; round < 3; round++) {
    runs.direct.push(await throughput(instances[0]!.url));
    runs.one.push(await throughput(oneEntry));
    runs.two.push(await throughput(twoEntry));
  }
  const [rpsDirect, rps1, rps2] = [median(runs.direct), median(runs.one), median(runs.two)];
  console.log(`throughput runs (req/s): ${JSON.stringify(runs, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`);

  // Redis commands per warm request, on one instance directly (no entry point in between).
  const direct = new Redis(redis.url);
  const commandCounts = async () => {
    const info = await direct.info('commandstats');
    const counts: Record<string, number> = {};
    for (const m of info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) counts[m[1]!] = Number(m[2]);
    delete counts.info;
    delete counts.config;
    return counts;
  };
  const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  const diff = (after: Record<string, number>, before: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(after)
        .map(([k, v]) => [k, v - (before[k] ?? 0)])
        .filter(([, v]) => (v as number) > 0),
    );
  const N = 200;
  await warm(instances[0]!.url, 2);
  let before = await commandCounts();
  await new Promise((r) => setTimeout(r, 1_000));
  const idlePerSecond = sum(diff(await commandCounts(), before));
  before = await commandCounts();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await view(instances[0]!.url, i);
  const seconds = (performance.now() - t0) / 1000;
  const used = diff(await commandCounts(), before);
  const perRequest = Math.max(0, sum(used) - idlePerSecond * seconds) / N;
  direct.disconnect();

  // Latency Redis adds to a warm request: the same app in this process, memory store vs Redis.
  const serve = async (env: Record<string, string>) => {
    const app = await appFor(dt, { env });
    const server = http.createServer(app.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return { app, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const latency = async (base: string) => {
    await warm(base, 2);
    const samples: number[] = [];
    for (let round = 0; round < 3; round++) {
      await warm(base, 1); // presence is fresh for 10 s: each round starts warm
      for (let i = 0; i < 150; i++) {
        const t = performance.now();
        await view(base, i);
        samples.push(performance.now() - t);
      }
    }
    return samples;
  };
  const memory = await serve({});
  const onRedis = await serve({ REDIS_URL: redis.url });
  // Interleaved so both see the same machine load.
  const memorySamples: number[] = [];
  const redisSamples: number[] = [];
  for (let run = 0; run < 2; run++) {
    memorySamples.push(...(await latency(memory.base)));
    redisSamples.push(...(await latency(onRedis.base)));
  }
  const mem = summarise('warm GET /api/delegation, memory store', memorySamples);
  const red = summarise('warm GET /api/delegation, Redis store', redisSamples);
  printTable([mem, red]);
  for (const s of [memory, onRedis]) {
    s.server.closeAllConnections();
    s.server.close();
    await s.app.close();
  }

  console.log(`Redis commands during ${N} warm requests: ${JSON.stringify(used)} (idle instances: ${idlePerSecond.toFixed(1)}/s)`);
  printComparison('Scale-out on Redis (loopback, 2 cores shared with the load and the entry point)', [
    { figure: 'tab API throughput, 2 instances vs 1 (warm views, 16 in flight)', ours: rps2, other: rps1, vs: '1 instance', unit: 'req/s' },
    {
      figure: 'tab API throughput, 1 instance through the entry point vs direct',
      ours: rps1,
      other: rpsDirect,
      vs: 'direct',
      unit: 'req/s',
    },
    { figure: 'Redis commands per warm request', ours: perRequest, other: 2, vs: 'goal: 2 round trips' },
    {
      figure: 'added latency of Redis vs memory per warm request (p50)',
      ours: red.medianMs - mem.medianMs,
      other: 1,
      vs: 'goal: 1 ms',
      unit: 'ms',
    },
  ]);
} finally {
  await Promise.all(trees.map((t) => t.stop('SIGTERM', 5_000)));
  await redis.stop();
  await dt.close();
}
