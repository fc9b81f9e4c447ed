/**
 * Graph cost of loadDelegationView for users with 0, 3 and 40 delegation relationships, cold and warm:
 * Graph requests counted by the dev tenant, and sequential round trips measured by giving every Graph
 * request 150 ms of latency (elapsed / 150 ms, rounded down, is the number of sequential rounds).
 */
import { startTestTenant, testSeed } from '../devtenant/testkit';
import type { SeedInput } from '../devtenant/tenant/seedTypes';
import { deskFor } from '../tests/support/desk';
import { measure, printTable } from './stats';

const LATENCY_MS = 150;

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

const rows: Array<Record<string, number | string>> = [];
for (const n of [0, 3, 40]) {
  const dt = await startTestTenant({ seed: seedWith(n), fixedClock: undefined });
  try {
    const desk = deskFor(dt);
    const user = await desk.validateSsoToken(await dt.ssoToken('gus'));
    await desk.loadDelegationView(user); // warms MSAL and the key cache
    desk.invalidate();
    await dt.admin('PUT', '/faults', { rules: [{ match: '*', latency: { fixedMs: LATENCY_MS } }] });
    dt.context.counters.reset();
    let t = performance.now();
    const view = await desk.loadDelegationView(user);
    const coldMs = performance.now() - t;
    const coldRequests = dt.context.counters.total('graph ');
    const coldBatchItems = dt.context.counters.total('graph-batch-item ');
    dt.context.counters.reset();
    t = performance.now();
    await desk.loadDelegationView(user);
    const warmMs = performance.now() - t;
    rows.push({
      relationships: n,
      'delegates/delegators': `${view.delegates.length}/${view.delegators.length}`,
      'cold Graph requests': coldRequests,
      'cold batch items': coldBatchItems,
      'cold round trips': Math.floor(coldMs / LATENCY_MS),
      'cold ms (150 ms/request)': Math.round(coldMs),
      'warm Graph requests': dt.context.counters.total('graph '),
      'warm round trips': Math.floor(warmMs / LATENCY_MS),
    });
    await dt.admin('DELETE', '/faults');
    // Without injected latency: what the module itself costs on loopback.
    const s = await measure(`loadDelegationView cold, ${n} relationships (loopback)`, 30, async () => {
      desk.invalidate();
      await desk.loadDelegationView(user);
    });
    printTable([s]);
  } finally {
    await dt.close();
  }
}
console.table(rows);

// A burst: 30 executives, each with an assistant of their own, open Delegate Desk at the same moment
// (every Graph request 150 ms). Presence lookups share calls through the presence batcher.
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
  try {
    const desk = deskFor(dt);
    const users = await Promise.all(Array.from({ length: BURST }, async (_, i) => desk.validateSsoToken(await dt.ssoToken(`exec${i}`))));
    await Promise.all(users.map((u) => desk.loadDelegationView(u))); // warms MSAL for everyone
    desk.invalidate();
    await dt.admin('PUT', '/faults', { rules: [{ match: '*', latency: { fixedMs: LATENCY_MS } }] });
    dt.context.counters.reset();
    const t = performance.now();
    await Promise.all(users.map((u) => desk.loadDelegationView(u)));
    console.table([
      {
        'users at once': BURST,
        'getPresencesByUserId calls': dt.context.counters.get('graph POST /v1.0/communications/getPresencesByUserId'),
        'all Graph requests': dt.context.counters.total('graph '),
        'ms for all (150 ms/request)': Math.round(performance.now() - t),
      },
    ]);
  } finally {
    await dt.close();
  }
}
