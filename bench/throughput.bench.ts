/**
 * Throughput of the tab's API with autocannon, the product server (its production build) in a process of
 * its own: warm `/api/delegation` (30 rotating users, one SSO token each, caches warm) and with a new SSO
 * token on every request (a validation and an on-behalf-of exchange each), at 50 and 200 connections,
 * with `/api/health` in the same run as the denominator. No injected latency: this is the server's CPU.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { startTestTenant, testSeed } from '../devtenant/testkit';
import { buildServer, startServerProcess } from './serverProcess';
import { printComparison, type Comparison } from './stats';

const USERS = 30;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const NEW_TOKEN_REQUESTS = Number(process.env.BENCH_NEW_TOKENS ?? 1_000);
const TIMEOUT_S = 10;

const seed = testSeed();
const id = (i: number) => `70000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
for (let i = 0; i < USERS; i++) seed.users.push({ id: id(i), givenName: 'Person', surname: String(i), userPrincipalName: `r${i}` });
seed.delegations = Array.from({ length: USERS }, (_, i) => [
  { delegator: `r${i}`, delegate: `r${(i + 1) % USERS}`, allowedActions: { receiveCalls: true } },
  { delegator: `r${i}`, delegate: `r${(i + 2) % USERS}`, allowedActions: { makeCalls: true } },
]).flat();

/** Busy CPU ms (user + system) of a process so far, from /proc (clock ticks of 10 ms on Linux). */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

async function mint(dt: Awaited<ReturnType<typeof startTestTenant>>, n: number): Promise<string[]> {
  const out: string[] = [];
  const next = async (): Promise<void> => {
    while (out.length < n) {
      const i = out.length;
      out.push('');
      out[i] = await dt.ssoToken(`r${i % USERS}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, next));
  return out;
}

interface Figures {
  rps: number;
  p99: number;
  timeouts: number;
  errors: number;
  non2xx: number;
  cpuPerRequest: number;
}

const mean = (a: Figures, b: Figures): Figures => ({
  rps: (a.rps + b.rps) / 2,
  p99: Math.max(a.p99, b.p99),
  timeouts: a.timeouts + b.timeouts,
  errors: a.errors + b.errors,
  non2xx: a.non2xx + b.non2xx,
  cpuPerRequest: (a.cpuPerRequest + b.cpuPerRequest) / 2,
});

const dt = await startTestTenant({ seed, fixedClock: undefined });
const server = await startServerProcess(dt, {}, await buildServer());
try {
  const warmTokens = await mint(dt, USERS);
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  // Warm every user's caches (token, validation, view) before anything is timed.
  for (const t of warmTokens) {
    const r = await fetch(`${server.origin}/api/delegation`, { headers: auth(t) });
    if (!r.ok) throw new Error(`GET /api/delegation answered ${r.status}: ${await r.text()}`);
  }
  const run = async (opts: autocannon.Options): Promise<Figures> => {
    const before = cpuMs(server.pid!);
    const r = await autocannon({ timeout: TIMEOUT_S, ...opts });
    const requests = r.requests.total || 1;
    return {
      rps: r.requests.average,
      p99: r.latency.p99,
      timeouts: r.timeouts,
      errors: r.errors,
      non2xx: r.non2xx,
      cpuPerRequest: (cpuMs(server.pid!) - before) / requests,
    };
  };
  for (const connections of [50, 200]) {
    const healthRun = () => run({ url: `${server.origin}/api/health`, connections, duration: DURATION_S / 2 });
    const warmRun = () =>
      run({
        url: `${server.origin}/api/delegation`,
        connections,
        duration: DURATION_S / 2,
        requests: warmTokens.map((t) => ({ method: 'GET', path: '/api/delegation', headers: auth(t) })),
      });
    // Warm-up (JIT, sockets), then health and delegation alternated twice: the machine's load moves.
    await run({ url: `${server.origin}/api/health`, connections, duration: 2 });
    await run({ url: `${server.origin}/api/delegation`, connections, duration: 2, requests: [{ headers: auth(warmTokens[0]!) }] });
    const h1 = await healthRun();
    const w1 = await warmRun();
    const h2 = await healthRun();
    const w2 = await warmRun();
    const health = mean(h1, h2);
    const warm = mean(w1, w2);
    const fresh = await mint(dt, NEW_TOKEN_REQUESTS);
    let i = 0;
    const newToken = await run({
      url: `${server.origin}/api/delegation`,
      connections,
      amount: NEW_TOKEN_REQUESTS,
      requests: [
        { method: 'GET', path: '/api/delegation', setupRequest: (req) => ({ ...req, headers: auth(fresh[i++ % fresh.length]!) }) },
      ],
    });
    const rows: Comparison[] = [
      { figure: 'GET /api/health req/s (1st, 2nd run)', ours: h1.rps, other: h2.rps, vs: '2nd' },
      { figure: 'warm /api/delegation req/s (1st, 2nd run)', ours: w1.rps, other: w2.rps, vs: '2nd' },
      { figure: 'warm /api/delegation req/s', ours: warm.rps, other: health.rps, vs: '/api/health, goal ≥ 0.7×' },
      { figure: 'warm p99 ms (worse of 2 runs)', ours: warm.p99, other: 100, vs: 'goal ≤ 100 ms', unit: 'ms' },
      { figure: 'warm p99 ms', ours: warm.p99, other: health.p99, vs: '/api/health', unit: 'ms' },
      { figure: 'warm timeouts / errors / non-2xx', ours: warm.timeouts, other: undefined, vs: `${warm.errors} / ${warm.non2xx}` },
      { figure: 'server CPU ms per request, warm', ours: warm.cpuPerRequest, other: health.cpuPerRequest, vs: '/api/health' },
      // CPU time per request moves less with the machine's load than a rate does.
      {
        figure: 'requests per server CPU ms, warm',
        ours: 1 / warm.cpuPerRequest,
        other: 1 / health.cpuPerRequest,
        vs: 'health, goal ≥ 0.7×',
      },
      { figure: 'new token per request req/s', ours: newToken.rps, other: warm.rps, vs: 'warm' },
      { figure: 'new token per request p99 ms', ours: newToken.p99, other: warm.p99, vs: 'warm', unit: 'ms' },
      {
        figure: 'new token timeouts / errors / non-2xx',
        ours: newToken.timeouts,
        other: undefined,
        vs: `${newToken.errors} / ${newToken.non2xx}`,
      },
      { figure: 'server CPU ms per request, new token', ours: newToken.cpuPerRequest, other: warm.cpuPerRequest, vs: 'warm' },
    ];
    printComparison(
      `throughput, ${connections} connections, ${USERS} rotating users (${DURATION_S} s runs; new tokens: ${NEW_TOKEN_REQUESTS} requests)`,
      rows,
    );
  }
} finally {
  await server.stop();
  await dt.close();
}
