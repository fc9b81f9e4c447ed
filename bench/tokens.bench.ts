/**
 * Graph tokens as users accumulate (issue 17 item 3): what the on-behalf-of exchange for one more user
 * costs with 1, 100, 1,000 and 10,000 users already cached, and the memory each cached user holds, for
 * the process-wide MSAL cache (TOKEN_CACHE=process) and the per-user partitioned cache, in one run.
 * SSO tokens are minted in process before anything is timed (the dev tenant's token endpoint, as the
 * local Teams host does). The exchange includes the dev tenant's answer, the same for both caches.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestTenant, testSeed, TEAMS_WEB_CLIENT_ID } from '../devtenant/testkit';
import { handleTokenRequest } from '../devtenant/identity/tokenEndpoint';
import { createGraphTokenSource, type GraphTokenSource } from '../shared/auth/onBehalfOf';
import { createSsoTokenValidator, type SsoUser } from '../shared/auth/ssoToken';
import { configFor } from '../tests/support/desk';
import { InMemoryTokenCacheStore } from '../shared/auth/tokenCache';
import { median, printComparison, type Comparison } from './stats';

const CHECKPOINTS = [1, 100, 1_000, 10_000].filter((n) => n <= Number(process.env.BENCH_TOKENS_MAX ?? 10_000));
const PROBES = 30; // exchanges timed at each checkpoint (new users: they stay cached)
/** Seconds of filling before a cache's run stops: the process-wide cache scans every account per lookup. */
const FILL_BUDGET_S = { partitioned: 120, process: 45 };
const TOTAL = CHECKPOINTS.at(-1)! + PROBES * CHECKPOINTS.length;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Heap and RSS in KiB after a full collection. */
const memory = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 1024, rss: m.rss / 1024 };
};

const seed = testSeed();
const id = (i: number) => `60000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
for (let i = 0; i < TOTAL; i++) seed.users.push({ id: id(i), givenName: 'Person', surname: String(i), userPrincipalName: `t${i}` });
const dt = await startTestTenant({ seed, fixedClock: undefined });
try {
  const config = configFor(dt);
  const validate = createSsoTokenValidator(config);
  const users: SsoUser[] = [];
  const mintStarted = performance.now();
  for (let i = 0; i < TOTAL; i++) {
    const body = await handleTokenRequest(
      dt.context,
      {
        grant_type: 'password',
        client_id: TEAMS_WEB_CLIENT_ID,
        username: dt.upn(`t${i}`),
        password: dt.tenant.userPassword,
        scope: `${dt.appIdUri}/access_as_user`,
      },
      undefined,
    );
    users.push(await validate(body.access_token));
  }
  console.log(`(${TOTAL} SSO tokens minted and validated in ${Math.round((performance.now() - mintStarted) / 1000)} s, untimed)`);

  type Result = { exchangeMs: Map<number, number>; heapPerUser: Map<number, number>; rssPerUser: Map<number, number>; stoppedAt?: number };
  const runFor = async (tokens: GraphTokenSource, budgetS: number): Promise<Result> => {
    const result: Result = { exchangeMs: new Map(), heapPerUser: new Map(), rssPerUser: new Map() };
    let next = 0;
    const started = performance.now();
    const overBudget = () => (performance.now() - started) / 1000 > budgetS;
    /** Caches n more users; false when the time budget ran out first. */
    const fill = async (n: number) => {
      const target = next + n;
      const worker = async () => {
        while (next < target && !overBudget()) await tokens.forUser(users[next++]!);
      };
      await Promise.all(Array.from({ length: 4 }, worker));
      return next >= target;
    };
    let cached = 0;
    let before = memory();
    for (const checkpoint of CHECKPOINTS) {
      if (!(await fill(checkpoint - cached))) {
        result.stoppedAt = checkpoint;
        break;
      }
      // Per user added since the last checkpoint: the slope, not the process's fixed cost.
      const now = memory();
      result.heapPerUser.set(checkpoint, (now.heap - before.heap) / (checkpoint - cached));
      result.rssPerUser.set(checkpoint, (now.rss - before.rss) / (checkpoint - cached));
      cached = checkpoint;
      const samples: number[] = [];
      for (let p = 0; p < PROBES; p++) {
        const t = performance.now();
        await tokens.forUser(users[next++]!);
        samples.push(performance.now() - t);
      }
      cached += PROBES;
      before = memory();
      result.exchangeMs.set(checkpoint, median(samples));
    }
    return result;
  };
  // The partitioned cache first: the process cache's many accounts stay in memory until this process ends.
  const partitioned = await runFor(
    createGraphTokenSource(config, { cacheStore: new InMemoryTokenCacheStore() }),
    FILL_BUDGET_S.partitioned,
  );
  const processWide = await runFor(createGraphTokenSource(config), FILL_BUDGET_S.process);
  const rows: Comparison[] = [];
  for (const n of CHECKPOINTS) {
    const ours = partitioned.exchangeMs.get(n);
    if (ours === undefined) continue;
    rows.push({
      figure: `exchange for one more user, ${n.toLocaleString('en')} cached (median of ${PROBES})`,
      ours,
      other: processWide.exchangeMs.get(n),
      vs: processWide.exchangeMs.has(n) ? 'TOKEN_CACHE=process' : `process cache not filled past ${FILL_BUDGET_S.process} s`,
      unit: 'ms',
    });
  }
  rows.push({
    figure: 'exchange at the largest ÷ at 1 cached (goal: flat)',
    ours: [...partitioned.exchangeMs.values()].at(-1)! / partitioned.exchangeMs.get(1)!,
    other: [...processWide.exchangeMs.values()].at(-1)! / processWide.exchangeMs.get(1)!,
    vs: `process, at ${[...processWide.exchangeMs.keys()].at(-1)!.toLocaleString('en')}`,
  });
  for (const [what, key] of [
    ['heap', 'heapPerUser'],
    ['RSS', 'rssPerUser'],
  ] as const)
    for (const n of CHECKPOINTS.slice(1)) {
      const ours = partitioned[key].get(n);
      if (ours === undefined) continue;
      rows.push({
        figure: `${what} KiB per user cached, up to ${n.toLocaleString('en')} (goal ≤ 20)`,
        ours,
        other: processWide[key].get(n),
        vs: processWide[key].has(n) ? 'TOKEN_CACHE=process' : '',
      });
    }
  if (processWide.stoppedAt)
    console.log(
      `(TOKEN_CACHE=process: filling stopped before ${processWide.stoppedAt.toLocaleString('en')} users, past ${FILL_BUDGET_S.process} s)`,
    );
  if (partitioned.stoppedAt)
    console.log(
      `(partitioned: filling stopped before ${partitioned.stoppedAt.toLocaleString('en')} users, past ${FILL_BUDGET_S.partitioned} s)`,
    );
  printComparison('Graph tokens: partitioned per user (ours) beside the process-wide MSAL cache', rows);
} finally {
  await dt.close();
}
