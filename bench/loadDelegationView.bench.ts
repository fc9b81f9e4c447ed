/**
 * Graph cost of loadDelegationView for users with 0, 3 and 40 delegation relationships, beside the naive
 * peer of Microsoft's samples (bench/peer/naiveView.ts) on the same dev tenant and users, in one run.
 * Every Graph request and every token request gets LATENCY_MS of injected latency. Cold is a user this
 * server has never seen (its on-behalf-of exchange included); rounds and requests are read from the dev
 * tenant's request log (bench/requestLog.ts), not derived from elapsed time.
 */
import { startTestTenant, testSeed, type TestTenant } from '../devtenant/testkit';
import type { SeedInput } from '../devtenant/tenant/seedTypes';
import { deskFor } from '../tests/support/desk';
import { naivePeer } from './peer/naiveView';
import { devTenantRequestLog, type RequestLog } from './requestLog';
import { median, printComparison, type Comparison } from './stats';

const LATENCY_MS = 50;
const RUNS = 5;

function seedWith(relationships: number): SeedInput {
  const seed = testSeed();
  const id = (i: number) => `30000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  for (let i = 0; i < relationships; i++)
    seed.users.push({ id: id(i), givenName: 'Person', surname: String(i), userPrincipalName: `q${i}` });
  const half = Math.ceil(relationships / 2);
  seed.delegations = Array.from({ length: relationships }, (_, i) =>
    i < half
      ? { delegator: 'gus', delegate: `q${i}`, allowedActions: { receiveCalls: true } }
      : { delegator: `q${i}`, delegate: 'gus', allowedActions: { makeCalls: true } },
  );
  return seed;
}

const latency = (dt: TestTenant, ms: number) =>
  ms
    ? dt.admin('PUT', '/faults', {
        rules: [
          { match: '*', latency: { fixedMs: ms } },
          { target: 'entra', match: '*', latency: { fixedMs: ms } },
        ],
      })
    : dt.admin('DELETE', '/faults');

interface Run {
  ms: number;
  rounds: number;
  tokenRequests: number;
  graphRequests: number;
}

async function timed(log: RequestLog, fn: () => Promise<unknown>): Promise<Run> {
  log.reset();
  const t = performance.now();
  await fn();
  const ms = performance.now() - t;
  return { ms, rounds: log.rounds(), tokenRequests: log.count('token'), graphRequests: log.count('graph') };
}

const pick = (runs: Run[], k: keyof Run) => median(runs.map((r) => r[k]));

for (const n of [0, 3, 40]) {
  const dt = await startTestTenant({ seed: seedWith(n), fixedClock: undefined });
  const log = devTenantRequestLog(dt.port);
  try {
    const peer = naivePeer({
      clientId: dt.clientId,
      clientSecret: dt.clientSecret,
      tenantId: dt.tenantId,
      authorityHost: dt.origin,
      graphBaseUrl: dt.origin,
      scopes: dt.tenant.app.delegatedScopes.map((s) => `https://graph.microsoft.com/${s}`),
    });
    // Tokens are minted before anything is timed (no password grant in a timed part).
    const gus = await Promise.all(Array.from({ length: 3 * RUNS + 2 }, () => dt.ssoToken('gus')));
    const ada = await dt.ssoToken('ada');
    await peer(gus.pop()!); // the peer's msal client has read the authority's metadata
    // Ours, cold: a server that is up (keys and authority metadata read for another user) and has never seen gus.
    const coldDesk = async () => {
      const desk = deskFor(dt);
      await desk.loadDelegationView(await desk.validateSsoToken(ada));
      return { desk, user: await desk.validateSsoToken(gus.pop()!) };
    };
    const cold = async (latencyMs: number) => {
      const ours: Run[] = [];
      const peerRuns: Run[] = [];
      const seqRuns: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        const { desk, user } = await coldDesk();
        await latency(dt, latencyMs);
        ours.push(await timed(log, () => desk.loadDelegationView(user)));
        peerRuns.push(await timed(log, () => peer(gus[i]!)));
        if (latencyMs) seqRuns.push(await timed(log, () => peer(gus[i]!, { sequential: true })));
        await latency(dt, 0);
        if (i === RUNS - 1) return { ours, peerRuns, seqRuns, desk, user };
      }
      throw new Error('unreachable');
    };
    const withLatency = await cold(LATENCY_MS);
    await latency(dt, LATENCY_MS);
    const warm: Run[] = [];
    const peerWarm: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      warm.push(await timed(log, () => withLatency.desk.loadDelegationView(withLatency.user)));
      peerWarm.push(await timed(log, () => peer(gus[i]!)));
    }
    await latency(dt, 0);
    const loopback = await cold(0);

    const { ours, peerRuns, seqRuns } = withLatency;
    const graphRoundsNeeded = n > 0 ? 2 : 1; // the two lists in parallel, then people and presence together
    const floor = (1 + graphRoundsNeeded) * LATENCY_MS;
    const rows: Comparison[] = [
      { figure: 'cold ms', ours: pick(ours, 'ms'), other: pick(peerRuns, 'ms'), vs: 'peer', unit: 'ms' },
      { figure: 'cold ms', ours: pick(ours, 'ms'), other: pick(seqRuns, 'ms'), vs: 'peer, sequential', unit: 'ms' },
      { figure: 'cold ms', ours: pick(ours, 'ms'), other: floor, vs: `floor: OBO + ${graphRoundsNeeded} Graph rounds`, unit: 'ms' },
      { figure: 'cold rounds (log)', ours: pick(ours, 'rounds'), other: pick(peerRuns, 'rounds'), vs: 'peer' },
      { figure: 'cold rounds (log)', ours: pick(ours, 'rounds'), other: 1 + graphRoundsNeeded, vs: 'floor' },
      { figure: 'cold token requests', ours: pick(ours, 'tokenRequests'), other: pick(peerRuns, 'tokenRequests'), vs: 'peer' },
      { figure: 'cold Graph requests', ours: pick(ours, 'graphRequests'), other: pick(peerRuns, 'graphRequests'), vs: 'peer' },
      { figure: 'warm ms', ours: pick(warm, 'ms'), other: pick(peerWarm, 'ms'), vs: 'peer (pays it all again)', unit: 'ms' },
      { figure: 'warm rounds (log)', ours: pick(warm, 'rounds'), other: pick(peerWarm, 'rounds'), vs: 'peer' },
      {
        figure: 'warm token + Graph requests',
        ours: pick(warm, 'tokenRequests') + pick(warm, 'graphRequests'),
        other: pick(peerWarm, 'tokenRequests') + pick(peerWarm, 'graphRequests'),
        vs: 'peer',
      },
      {
        figure: 'cold ms, no latency (loopback)',
        ours: pick(loopback.ours, 'ms'),
        other: pick(loopback.peerRuns, 'ms'),
        vs: 'peer',
        unit: 'ms',
      },
    ];
    printComparison(`loadDelegationView, ${n} relationships, ${LATENCY_MS} ms per Graph and token request, median of ${RUNS}`, rows);
  } finally {
    log.stop();
    await dt.close();
  }
}

// A burst: 30 executives, each with an assistant of their own, open Delegate Desk at the same moment
// (warm tokens, cold Graph caches). Presence lookups share calls through the presence batcher.
{
  const seed = testSeed();
  const id = (kind: number, i: number) => `4000000${kind}-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const BURST = 30;
  for (let i = 0; i < BURST; i++) {
    seed.users.push({ id: id(1, i), givenName: 'Exec', surname: String(i), userPrincipalName: `exec${i}` });
    seed.users.push({ id: id(2, i), givenName: 'Assistant', surname: String(i), userPrincipalName: `asst${i}` });
  }
  seed.delegations = Array.from({ length: BURST }, (_, i) => ({
    delegator: `exec${i}`,
    delegate: `asst${i}`,
    allowedActions: { receiveCalls: true },
  }));
  const dt = await startTestTenant({ seed, fixedClock: undefined });
  const log = devTenantRequestLog(dt.port);
  try {
    const desk = deskFor(dt);
    const users = await Promise.all(Array.from({ length: BURST }, async (_, i) => desk.validateSsoToken(await dt.ssoToken(`exec${i}`))));
    await Promise.all(users.map((u) => desk.loadDelegationView(u))); // warms MSAL for everyone
    await desk.invalidate();
    await latency(dt, LATENCY_MS);
    const run = await timed(log, () => Promise.all(users.map((u) => desk.loadDelegationView(u))));
    const presenceCalls = log.entries.filter((e) => e.path.endsWith('/communications/getPresencesByUserId')).length;
    printComparison(`burst: ${BURST} users open at once (tokens warm, Graph caches cold, ${LATENCY_MS} ms per request)`, [
      { figure: 'getPresencesByUserId calls', ours: presenceCalls, other: BURST, vs: 'one per user' },
      { figure: 'Graph requests', ours: run.graphRequests, other: BURST * 4, vs: 'lists + users + presence per user' },
      { figure: 'rounds (log)', ours: run.rounds, other: 2, vs: 'floor' },
      { figure: 'ms for all', ours: run.ms, other: 2 * LATENCY_MS, vs: 'floor', unit: 'ms' },
    ]);
  } finally {
    log.stop();
    await dt.close();
  }
}
