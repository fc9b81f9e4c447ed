/**
 * "Tell me when X is free", measured on the dev tenant: a presence change (admin API) → the proactive
 * message at the Bot Connector, (1) within the hour after the request, where the watcher's own
 * subscription pushes it, split into the dev tenant's delivery (change → published on the Store, the
 * floor we cannot beat) and our part (published → message at the connector); (2) after that, where the
 * app-only poll finds it (bound: the poll interval + 2 s); (3) Graph presence requests per minute for
 * 1,000 active watches, against the goal of one batched call per 650 watched people per interval.
 */
import { startTestTenant, testSeed } from '../devtenant/testkit';
import { MemoryStore } from '../shared/store/memoryStore';
import { PRESENCE_CHANNEL, type PresenceMessage } from '../shared/live/presenceFeed';
import { watchStore } from '../shared/watch/watchStore';
import { MAX_PRESENCE_IDS } from '../shared/graph/operations/presence';
import { presenceSettled, startConnector, startNotifyStack, eventually } from '../tests/support/notifyStack';
import { printTable, summarise } from './stats';

const CHANGES = Number(process.env.NOTIFY_CHANGES ?? 20);
const POLL_SECONDS = Number(process.env.NOTIFY_POLL_SECONDS ?? 5);
const WATCHES = 1_000;
const ADA = '00000000-0000-4000-8000-000000000001';
const ada = { name: 'ada', aadObjectId: ADA };

// The test tenant with 1,000 more people to watch.
const seed = testSeed();
const extra = Array.from({ length: WATCHES }, (_, i) => ({
  id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
  givenName: 'Person',
  surname: String(i),
  userPrincipalName: `person${i}`,
  presence: { availability: 'Away', activity: 'Away' },
}));
seed.users.push(...(extra as (typeof seed.users)[number][]));
const dt = await startTestTenant({ fixedClock: undefined, seed });
const connector = await startConnector();
const setPresence = (user: string, availability: string) =>
  dt.admin('PUT', `/users/${user}/presence`, { availability, activity: availability });

async function changesToMessages(stack: Awaited<ReturnType<typeof startNotifyStack>>, store?: MemoryStore) {
  const published: number[] = [];
  if (store)
    await store.subscribe(PRESENCE_CHANNEL, (raw) => {
      const m = JSON.parse(raw) as PresenceMessage;
      if (m.presence?.availability === 'Available') published.push(performance.now());
    });
  const total: number[] = [];
  const delivery: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    await presenceSettled(dt, stack, 'ada', 'cleo', 'Away');
    connector.posted.length = 0;
    published.length = 0;
    const asked = await stack.say(ada, 'let me know when Cleo is free');
    if (!asked[0]?.text?.startsWith('OK.')) throw new Error(`unexpected answer: ${asked[0]?.text}`);
    const t0 = performance.now();
    await setPresence('cleo', 'Available');
    let at = 0;
    await eventually(
      () => {
        if (connector.posted.length === 0) return undefined;
        return (at ||= performance.now());
      },
      POLL_SECONDS * 1000 + 10_000,
    );
    total.push(at - t0);
    if (published[0]) {
      delivery.push(published[0] - t0);
      ours.push(at - published[0]);
    }
  }
  return { total, delivery, ours };
}

try {
  // 1. Pushed by the watcher's own subscription (the default 30-s poll never runs in the window).
  const store = new MemoryStore();
  const live = await startNotifyStack(dt, connector, { store });
  const pushed = await changesToMessages(live, store);
  await live.close();

  // 2. Polled: no live subscription (no certificate), one round every POLL_SECONDS.
  const polledStack = await startNotifyStack(dt, connector, {
    env: { NOTIFICATION_CERT_PATH: undefined, NOTIFICATION_KEY_PATH: undefined, WATCH_POLL_SECONDS: String(POLL_SECONDS) },
  });
  const polled = await changesToMessages(polledStack);
  await polledStack.close();

  printTable([
    summarise('pushed: change → message at the connector', pushed.total),
    summarise('  dev tenant delivery (change → published): floor', pushed.delivery),
    summarise('  ours (published → message at the connector)', pushed.ours),
    summarise(`polled every ${POLL_SECONDS} s: change → message`, polled.total),
  ]);
  const p95 = (xs: number[]) => summarise('', xs).p95Ms;
  console.log(
    `  goal pushed p95 ≤ 2000 ms: ${p95(pushed.total)} ms; goal polled p95 ≤ ${POLL_SECONDS * 1000 + 2000} ms: ${p95(polled.total)} ms`,
  );

  // 3. 1,000 active watches, none pushed: Graph presence calls per poll round.
  const many = new MemoryStore();
  const rounds = await startNotifyStack(dt, connector, {
    store: many,
    env: { NOTIFICATION_CERT_PATH: undefined, NOTIFICATION_KEY_PATH: undefined, WATCH_POLL_SECONDS: '600' },
  });
  const ws = watchStore(many, { limit: WATCHES });
  for (const [i, p] of extra.entries())
    await ws.add({
      id: `bench-${i}`,
      oid: `00000000-0000-4000-a000-${String(i % 10).padStart(12, '0')}`,
      tid: dt.tenantId,
      personId: p.id,
      displayName: `Person ${i}`,
      userPrincipalName: null,
      condition: 'free',
      createdAt: Date.now(),
      until: Date.now() + 3_600_000,
      reportExpiry: false,
    });
  const key = 'graph POST /v1.0/communications/getPresencesByUserId';
  const perRound: number[] = [];
  const roundMs: number[] = [];
  for (let r = 0; r < 3; r++) {
    await many.delete('watch:poll'); // the interval's lock: each round here stands for one interval
    const before = dt.context.counters.get(key);
    const t = performance.now();
    const round = await rounds.app.watcher.poll();
    roundMs.push(performance.now() - t);
    perRound.push(dt.context.counters.get(key) - before);
    if (round?.polled !== WATCHES) throw new Error(`polled ${round?.polled} people, expected ${WATCHES}`);
  }
  await rounds.close();
  const goal = Math.ceil(WATCHES / MAX_PRESENCE_IDS);
  console.table([
    {
      figure: `Graph presence calls per poll round, ${WATCHES} watched people`,
      ours: Math.max(...perRound),
      goal,
      ratio: Math.round((Math.max(...perRound) / goal) * 100) / 100,
    },
    { figure: 'per minute at the default 30-s interval', ours: Math.max(...perRound) * 2, goal: goal * 2, ratio: '' },
    { figure: 'one poll round (ms, median of 3)', ours: summarise('', roundMs).medianMs, goal: '', ratio: '' },
  ]);
} finally {
  connector.close();
  await dt.close();
}
