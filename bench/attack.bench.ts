/**
 * The bigger attack run: 10,000 fuzzed chat messages at the bot, then 60 s of load from 200 concurrent
 * users on the tab API, a fifth of them with forged or broken tokens. Reports outcomes per class and
 * whether anything was a 5xx or an unexpected failure.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestTenant } from '../devtenant/testkit';
import { startBotChat, seeded } from '../tests/support/botChat';
import { randomInput } from '../tests/support/chatFuzz';
import { appFor } from '../tests/support/app';
import { summarise, printTable } from './stats';

const FUZZ = Number(process.env.ATTACK_FUZZ ?? 10_000);
const LOAD_MS = Number(process.env.ATTACK_LOAD_MS ?? 60_000);
const USERS = 200;
const dt = await startTestTenant({ fixedClock: undefined });
const chat = await startBotChat(dt);
const ADA = { name: 'ada', aadObjectId: '00000000-0000-4000-8000-000000000001' };
const errors: string[] = [];
const origError = console.error;
console.error = (...args: unknown[]) => void errors.push(String(args[0]).slice(0, 200));

try {
  // 1. Chat fuzz.
  const random = seeded(1);
  const outcomes: Record<string, number> = {};
  const t0 = performance.now();
  for (let i = 0; i < FUZZ; i += 16) {
    const batch = Array.from({ length: Math.min(16, FUZZ - i) }, () => randomInput(random));
    await Promise.all(
      batch.map(async (text) => {
        const res = await fetch(chat.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(chat.activity(ADA, text)),
        });
        const reply = res.ok ? (((await res.json()) as { activities: Array<{ text?: string }> }).activities[0]?.text ?? '') : '';
        const kind =
          res.status >= 500
            ? '5xx'
            : !res.ok
              ? `${res.status}`
              : /on my side/.test(reply)
                ? 'unexpected error reply'
                : /didn't understand|what I can do|I can tell you/.test(reply)
                  ? 'help'
                  : 'answer';
        outcomes[kind] = (outcomes[kind] ?? 0) + 1;
      }),
    );
  }
  console.log(`chat fuzz: ${FUZZ} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(outcomes)}`);

  // 2. Load: 200 users for LOAD_MS, 1 in 5 sending a broken or forged token.
  const { handler, close } = await appFor(dt);
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  const names = ['ada', 'ben', 'cleo', 'hana', 'gus'];
  const good = await Promise.all(names.map((n) => dt.ssoToken(n)));
  const forged = ((await (await dt.admin('POST', '/tokens', { user: 'ada', foreignKey: true })).json()) as { token: string }).token;
  const bad = [`Bearer ${forged}`, 'Bearer nonsense', `Bearer ${good[0]!.slice(0, -4)}AAAA`, ''];
  const statuses: Record<string, number> = {};
  const latency: number[] = [];
  const end = Date.now() + LOAD_MS;
  const rss0 = process.memoryUsage().rss;
  await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      for (let i = 0; Date.now() < end; i++) {
        const attacker = u % 5 === 0;
        const authorization = attacker ? bad[i % bad.length]! : `Bearer ${good[u % good.length]}`;
        const t = performance.now();
        const res = await fetch(`${base}/api/delegation`, { headers: authorization ? { authorization } : {} }).catch(() => undefined);
        if (res) await res.arrayBuffer();
        latency.push(performance.now() - t);
        const key = `${attacker ? 'attacker' : 'user'} ${res?.status ?? 'no answer'}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    }),
  );
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  console.log(
    `load: ${USERS} users for ${LOAD_MS / 1000} s: ${total} requests (${(total / (LOAD_MS / 1000)).toFixed(0)}/s): ${JSON.stringify(statuses)}; RSS ${((process.memoryUsage().rss - rss0) / 1024 / 1024).toFixed(1)} MiB more`,
  );
  printTable([summarise('GET /api/delegation under load (users and attackers)', latency)]);
  server.closeAllConnections();
  server.close();
  await close();
  console.log(`unexpected errors logged: ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ''}`);
} finally {
  console.error = origError;
  await chat.close();
  await dt.close();
}
