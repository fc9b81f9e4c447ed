/**
 * Reply time of the bot for "who is my delegate" (dev tenant, caches warm after the first turns) beside
 * a bare teams-ai echo bot (bench/peer/echoBot.ts): each in a process of its own (ours is the product
 * server, server/main.ts), requests interleaved one and one so both meet the same machine load; over
 * HTTP with deliveryMode expectReplies.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestTenant } from '../devtenant/testkit';
import { freePort } from '../tests/support/ports';
import { spawnTree } from '../scripts/processes';
import { startServerProcess, waitUntilUp } from './serverProcess';
import { printComparison, summarise } from './stats';

const TURNS = 200;
const WARMUP = 10;
const here = path.dirname(fileURLToPath(import.meta.url));

const dt = await startTestTenant({ fixedClock: undefined });
const ours = await startServerProcess(dt);
const echoPort = await freePort();
const echo = spawnTree(process.execPath, ['--import', 'tsx', path.join(here, 'peer', 'echoBot.ts')], {
  env: { ...process.env, PORT: String(echoPort) },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  const echoOrigin = `http://127.0.0.1:${echoPort}`;
  await waitUntilUp(`${echoOrigin}/health`, echo);
  const body = (text: string) =>
    JSON.stringify({
      type: 'message',
      id: 'a1',
      text,
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9',
      deliveryMode: 'expectReplies',
      from: { id: '29:ada', name: 'Ada Exec', aadObjectId: '00000000-0000-4000-8000-000000000001' },
      recipient: { id: '28:bot' },
      conversation: { id: 'a:conv', conversationType: 'personal' },
    });
  const post = async (origin: string, text: string) => {
    const r = await fetch(`${origin}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(text) });
    const json = (await r.json()) as { activities?: unknown[] };
    if (!r.ok || !json.activities?.length) throw new Error(`${origin} answered ${r.status} with no reply`);
  };
  const timedPost = async (origin: string) => {
    const t = performance.now();
    await post(origin, 'who is my delegate');
    return performance.now() - t;
  };
  const oursMs: number[] = [];
  const echoMs: number[] = [];
  for (let i = 0; i < WARMUP + TURNS; i++) {
    // Alternate which goes first, so neither always follows the other's garbage.
    const [a, b] = i % 2 ? [ours.origin, echoOrigin] : [echoOrigin, ours.origin];
    const ma = await timedPost(a);
    const mb = await timedPost(b);
    if (i < WARMUP) continue;
    (a === ours.origin ? oursMs : echoMs).push(ma);
    (b === ours.origin ? oursMs : echoMs).push(mb);
  }
  const o = summarise('ours', oursMs);
  const e = summarise('echo', echoMs);
  printComparison(`bot: "who is my delegate", ${TURNS} turns each, interleaved, separate processes`, [
    { figure: 'median ms', ours: o.medianMs, other: e.medianMs, vs: 'bare teams-ai echo bot', unit: 'ms' },
    { figure: 'p95 ms', ours: o.p95Ms, other: e.p95Ms, vs: 'bare teams-ai echo bot', unit: 'ms' },
    { figure: 'mean ms', ours: o.meanMs, other: e.meanMs, vs: 'bare teams-ai echo bot', unit: 'ms' },
  ]);
} finally {
  await echo.stop();
  await ours.stop();
  await dt.close();
}
