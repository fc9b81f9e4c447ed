/**
 * Scale-out (issue 14): two product instances, each a process of its own, share one real redis-server
 * and sit behind the local entry point (scripts/balancer.ts, round-robin as App Service with ARR
 * affinity off). What one instance learns (a Graph token, a sign-in, a presence push, a cached read)
 * serves the other; losing an instance or Redis costs no sign-in and no crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { startTestTenant, testSeed, type TestTenant } from '../devtenant/testkit';
import { startBalancer, type Balancer } from '../scripts/balancer';
import { signalGroup, spawnTree, waitFor, type ProcessTree } from '../scripts/processes';
import { envFor } from './support/app';
import { personalMessage, tokenExchange } from './support/botChat';
import { freePort } from './support/ports';
import { startRedisServer, type RedisServer } from './support/redisServer';
import { readSse, type SseEvent } from './support/sse';

const ADA = '00000000-0000-4000-8000-000000000001';
const BEN = '00000000-0000-4000-8000-000000000002';
const CLEO = '00000000-0000-4000-8000-000000000003';
const JOSE = '00000000-0000-4000-8000-0000000000a1';
const JOSE_STATUS = 'Llamadas en español — ¡pregúntame! 電話';
const IDS: Record<string, string> = { ada: ADA, ben: BEN, cleo: CLEO, jose: JOSE };

let dt: TestTenant;
let redis: RedisServer;
let balancer: Balancer;
let entry: string;
let connector: { server: http.Server; origin: string; posted: Array<Record<string, unknown>> };
interface Instance {
  name: string;
  port: number;
  url: string;
  tree: ProcessTree;
  output: string;
}
const instances = new Map<string, Instance>();
const everStarted: ProcessTree[] = [];

async function startInstance(name: string, port: number, entryPort: number): Promise<Instance> {
  const env = envFor(dt, {
    PORT: String(port),
    PUBLIC_PORT: String(entryPort),
    INSTANCE_NAME: name,
    REDIS_URL: redis.url,
  });
  const tree = spawnTree(process.execPath, ['--import', 'tsx', 'tests/support/scaleInstance.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  everStarted.push(tree);
  const instance: Instance = { name, port, url: `http://127.0.0.1:${port}`, tree, output: '' };
  tree.child.stdout!.on('data', (d: Buffer) => (instance.output += d.toString()));
  tree.child.stderr!.on('data', (d: Buffer) => (instance.output += d.toString()));
  let exited = false;
  void tree.exited.then(() => (exited = true));
  expect(await waitFor(() => exited || instance.output.includes(`listening as ${name}`), 60_000), instance.output).toBe(true);
  expect(exited, instance.output).toBe(false);
  instances.set(name, instance);
  return instance;
}

beforeAll(async () => {
  const seed = testSeed();
  seed.users.push({
    id: JOSE,
    givenName: 'José',
    surname: 'Álvarez',
    userPrincipalName: 'jose',
    presence: { availability: 'Available', activity: 'Available', statusMessage: JOSE_STATUS },
  });
  seed.delegations = [
    ...(seed.delegations ?? []),
    { delegator: 'ada', delegate: 'jose', allowedActions: { receiveCalls: true } },
    { delegator: 'jose', delegate: 'ben', allowedActions: { receiveCalls: true } },
  ];
  [dt, redis] = await Promise.all([startTestTenant({ seed, fixedClock: undefined }), startRedisServer()]);
  const posted: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      posted.push(JSON.parse(data || '{}'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `r${posted.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  connector = { server, origin: `http://localhost:${(server.address() as AddressInfo).port}`, posted };
  const [entryPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
  await Promise.all([startInstance('A', portA, entryPort), startInstance('B', portB, entryPort)]);
  balancer = await startBalancer({
    port: entryPort,
    backends: ['A', 'B'].map((name) => ({ name, url: instances.get(name)!.url })),
    healthIntervalMs: 200,
    log: () => {},
  });
  entry = balancer.origin;
}, 120_000);

afterAll(async () => {
  await balancer?.close();
  await Promise.all(everStarted.map((t) => t.stop('SIGTERM', 5_000)));
  connector?.server.close();
  await Promise.all([dt?.close(), redis?.stop()]);
});

const bearer = async (user: string) => ({ Authorization: `Bearer ${await dt.ssoToken(user)}` });

type Reply = { text?: string; attachments?: Array<{ contentType: string; content: Record<string, unknown> }> };
// Its own conversation id per user (`a:<user>-chat`): the Redis keys asserted below name it.
const activity = (user: string, text: string, extra: Record<string, unknown> = {}) =>
  personalMessage({ connector: connector.origin, tenantId: dt.tenantId }, { name: user, aadObjectId: IDS[user]! }, text, {
    conversation: { id: `a:${user}-chat`, conversationType: 'personal', tenantId: dt.tenantId },
    ...extra,
  });

/** One chat turn through the entry point: who served it, and the bot's replies. */
async function say(user: string, text: string): Promise<{ servedBy: string; replies: Reply[] }> {
  const res = await fetch(`${entry}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity(user, text)),
  });
  expect(res.status).toBe(200);
  return { servedBy: res.headers.get('x-served-by') ?? '', replies: ((await res.json()) as { activities: Reply[] }).activities };
}

/** Teams' answer to the sign-in card: the SSO token exchange invoke. */
async function exchange(user: string, id: string): Promise<string> {
  const res = await fetch(`${entry}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(tokenExchange(activity(user, ''), id, await dt.ssoToken(user))),
  });
  expect(res.status).toBe(200);
  return res.headers.get('x-served-by') ?? '';
}

const isSignInCard = (r: Reply) => r.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.oauth') ?? false;

/** A tab's push stream through the entry point, opened until it is served by `on`. */
async function streamOn(user: string, on: string) {
  for (let attempt = 0; attempt < 6; attempt++) {
    const ticketRes = await fetch(`${entry}/api/live/ticket`, { method: 'POST', headers: await bearer(user) });
    expect(ticketRes.status).toBe(200);
    const { ticket } = (await ticketRes.json()) as { ticket: string };
    const res = await fetch(`${entry}/api/live/stream?ticket=${ticket}`);
    expect(res.status).toBe(200);
    if (res.headers.get('x-served-by') !== on) {
      await res.body?.cancel();
      continue;
    }
    const events: SseEvent[] = [];
    const close = readSse(res, (e) => events.push(e));
    return { events, close };
  }
  throw new Error(`no stream landed on ${on}`);
}

const health = async (base: string) => {
  try {
    return (await fetch(`${base}/api/health`)).status;
  } catch {
    return 0;
  }
};

describe('two instances behind the entry point, on one Redis', () => {
  it('serves 20 tab requests with one SSO token from both instances with one on-behalf-of exchange and one Graph read of the view', async () => {
    const token = await dt.ssoToken('ada');
    dt.context.counters.reset();
    const servedBy: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${entry}/api/delegation`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      servedBy.push(res.headers.get('x-served-by') ?? '');
      const view = (await res.json()) as { delegates: Array<{ person: { displayName: string } }> };
      expect(view.delegates.map((d) => d.person.displayName).sort()).toEqual(['Ben Assist', 'Cleo Assist', 'José Álvarez']);
    }
    expect(servedBy.filter((s) => s === 'A')).toHaveLength(10);
    expect(servedBy.filter((s) => s === 'B')).toHaveLength(10);
    expect(dt.context.counters.get('token on_behalf_of')).toBe(1);
    // One Graph read serves every instance: the lists, the people and their presence once each.
    const graph = Object.entries(dt.context.counters.snapshot()).filter(([k]) => k.startsWith('graph '));
    expect(graph.length, JSON.stringify(graph)).toBeGreaterThan(0);
    for (const [key, count] of graph) expect(count, key).toBe(1);
  });

  it('signs in on one instance, and the next turn on the other needs no second sign-in card', async () => {
    const first = await say('ben', 'who am I a delegate for');
    expect(first.replies.some(isSignInCard), JSON.stringify(first.replies)).toBe(true);
    const signedInOn = await exchange('ben', 'ben-1');
    // The question that waited is answered after the exchange (sent to the connector).
    await expect.poll(() => connector.posted.some((p) => String(p.text).includes('Ada Exec')), { timeout: 15_000 }).toBe(true);
    let next = await say('ben', 'who am I a delegate for');
    if (next.servedBy === signedInOn) next = await say('ben', 'who am I a delegate for');
    expect(next.servedBy).not.toBe(signedInOn);
    expect(next.replies.some(isSignInCard)).toBe(false);
    expect(next.replies[0]!.text).toContain('Ada Exec');
  });

  it('pushes a notification that reached instance B to a tab streaming from instance A', async () => {
    const tab = await streamOn('ada', 'A');
    try {
      const outcomes: Array<{ on: string[]; pushed: boolean }> = [];
      for (let i = 0; i < 8 && !outcomes.some((o) => o.pushed && o.on.includes('B')); i++) {
        const mark = `Réunion ${i} — ñ`;
        const seen = balancer.served.length;
        await dt.admin('PUT', `/users/${dt.upn('ben')}/presence`, { availability: 'Busy', activity: 'InACall', statusMessage: mark });
        const pushed = await waitFor(() => tab.events.some((e) => e.event === 'presence' && JSON.stringify(e.data).includes(mark)), 15_000);
        const on = balancer.served
          .slice(seen)
          .filter((s) => s.path.startsWith('/api/notifications'))
          .map((s) => s.backend);
        outcomes.push({ on, pushed });
      }
      expect(
        outcomes.every((o) => o.pushed),
        JSON.stringify(outcomes),
      ).toBe(true);
      expect(
        outcomes.some((o) => o.on.includes('B')),
        JSON.stringify(outcomes),
      ).toBe(true);
    } finally {
      await tab.close();
    }
  });

  it('merges an eTag conflict on one conversation from both instances at once: every turn answered, nothing failed', async () => {
    await say('cleo', 'hello'); // the conversation's state exists: later saves carry its eTag
    const texts = Array.from({ length: 10 }, (_, i) => `is Ben available (${i})`);
    const turns = await Promise.all(texts.map((t) => say('cleo', t)));
    expect(new Set(turns.map((t) => t.servedBy))).toEqual(new Set(['A', 'B']));
    for (const t of turns) {
      expect(t.replies.some(isSignInCard), JSON.stringify(t.replies)).toBe(true);
      expect(JSON.stringify(t.replies)).not.toContain('Something went wrong');
    }
    const merged = [...instances.values()].map((i) => (i.output.match(/state changed meanwhile/g) ?? []).length);
    expect(
      merged.reduce((a, b) => a + b, 0),
      'no save conflicted: the test did not test anything',
    ).toBeGreaterThan(0);
    expect([...instances.values()].map((i) => i.output).join('')).not.toMatch(/turn failed/);
    // The conversation's state is one document, still readable, holding one of the questions.
    const direct = new Redis(redis.url);
    try {
      const keys = await direct.keys('dd:bot:*conversations/a:cleo-chat');
      expect(keys).toHaveLength(1);
      const doc = JSON.parse((await direct.hget(keys[0]!, 'd'))!) as { pending?: { text: string } };
      expect(texts).toContain(doc.pending?.text);
    } finally {
      direct.disconnect();
    }
  });

  it('round-trips non-ASCII names ("José Álvarez") through every stored kind', async () => {
    // José signs in to the bot (the question waits in the conversation state), then uses the tab.
    const [card] = (await say('jose', 'is José Álvarez available?')).replies;
    expect(isSignInCard(card!)).toBe(true);
    const direct = new Redis(redis.url);
    try {
      const valueOf = async (key: string) =>
        (await direct.type(key)) === 'hash' ? JSON.stringify(await direct.hgetall(key)) : await direct.get(key);
      const conversation = (await direct.keys('dd:bot:*conversations/a:jose-chat'))[0]!;
      expect(JSON.parse((await direct.hget(conversation, 'd'))!)).toEqual({ pending: { text: 'is José Álvarez available?' } });
      await exchange('jose', 'jose-1');
      await expect
        .poll(() => JSON.stringify(connector.posted.filter((p) => JSON.stringify(p).includes('a:jose-chat'))), { timeout: 15_000 })
        .toContain('José Álvarez: Available');
      // Ada's view from both instances: José's name and status as Graph has them.
      const token = await dt.ssoToken('ada');
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${entry}/api/delegation?fresh=1`, { headers: { Authorization: `Bearer ${token}` } });
        const view = (await res.json()) as {
          delegates: Array<{ person: { displayName: string }; presence: { statusMessage?: string } | null }>;
        };
        const jose = view.delegates.find((d) => d.person.displayName === 'José Álvarez');
        expect(jose?.presence?.statusMessage, res.headers.get('x-served-by')!).toBe(JOSE_STATUS);
      }
      // What Redis holds, by kind that carries text (delegation lists carry ids only; the bot's state was checked above).
      const kinds: Array<[kind: string, pattern: string, expected: string]> = [
        ['directory entries', `dd:desk:users:*:${JOSE}`, 'José Álvarez'],
        ['presence', `dd:desk:presence:*:${JOSE}`, JOSE_STATUS],
        ['MSAL token cache (his partition)', `dd:*msal*${JOSE}*`, 'José Álvarez'],
      ];
      for (const [kind, pattern, expected] of kinds) {
        const keys = await direct.keys(pattern);
        expect(keys.length, `${kind}: ${pattern}`).toBeGreaterThan(0);
        expect((await Promise.all(keys.map(valueOf))).join('\n'), kind).toContain(expected);
      }
      const everything = (await Promise.all((await direct.keys('dd:*')).map(valueOf))).join('\n');
      expect(everything).not.toMatch(/JosÃ©|Ã¡/);
      expect(everything).toContain(JOSE_STATUS);
    } finally {
      direct.disconnect();
    }
  });

  it('loses instance A (SIGKILL) mid-conversation: the next turn on B goes on without a sign-in, pushes resume after the tab reconnects, a watch asked on A fires once', async () => {
    // Ben asks A to tell him when Ada (in a meeting) is free: the watch is in Redis, its subscription names the entry point.
    let watch = await say('ben', 'let me know when Ada is free');
    if (watch.servedBy !== 'A') watch = await say('ben', 'let me know when Ada is free');
    expect(watch.servedBy).toBe('A');
    expect(watch.replies[0]!.text).toMatch(/^OK\. I’ll message you here when Ada Exec is available/);
    let turn = await say('ben', 'who can take my call now');
    if (turn.servedBy !== 'A') turn = await say('ben', 'who can take my call now');
    expect(turn.servedBy).toBe('A');
    const a = instances.get('A')!;
    signalGroup(a.tree.pid!, 'SIGKILL');
    expect((await a.tree.exited).signal).toBe('SIGKILL');

    const next = await say('ben', 'who am I a delegate for');
    expect(next.servedBy).toBe('B');
    expect(next.replies.some(isSignInCard)).toBe(false);
    expect(next.replies[0]!.text).toContain('Ada Exec');
    // The tab reconnects (a new ticket) and lands on B; the subscription is kept and pushes arrive.
    const tab = await streamOn('ada', 'B');
    try {
      await dt.admin('PUT', `/users/${dt.upn('cleo')}/presence`, { availability: 'DoNotDisturb', activity: 'Presenting' });
      expect(
        await waitFor(
          () =>
            tab.events.some(
              (e) =>
                e.event === 'presence' &&
                (e.data as { id?: string; presence?: { availability?: string } }).id === CLEO &&
                JSON.stringify(e.data).includes('DoNotDisturb'),
            ),
          15_000,
        ),
      ).toBe(true);
    } finally {
      await tab.close();
    }
    // Ada becomes free: B (the one instance left) sends Ben's message, once.
    const told = () => connector.posted.filter((p) => String(p.text ?? '').startsWith('Ada Exec is available now'));
    await dt.admin('PUT', `/users/${dt.upn('ada')}/presence`, { availability: 'Available', activity: 'Available' });
    expect(await waitFor(() => told().length > 0, 15_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(told()).toHaveLength(1);
    // A comes back on its port and the entry point puts it back in rotation.
    await startInstance('A', a.port, balancer.port);
    expect(await waitFor(() => balancer.health().every((h) => h.healthy), 10_000)).toBe(true);
  }, 60_000);

  it('keeps going while Redis is stopped (health 503, tab reads from per-instance caches, live state 503) and reconnects when it is back', async () => {
    const token = await dt.ssoToken('ada');
    const urls = [...instances.values()].map((i) => i.url);
    await redis.stop();
    try {
      expect(await waitFor(async () => (await Promise.all(urls.map(health))).every((s) => s === 503), 5_000)).toBe(true);
      expect(await health(entry)).toBe(503);
      for (let i = 0; i < 2; i++) {
        const view = await fetch(`${entry}/api/delegation`, { headers: { Authorization: `Bearer ${token}` } });
        expect(view.status, await view.clone().text()).toBe(200);
        expect(((await view.json()) as { delegates: unknown[] }).delegates).toHaveLength(3);
      }
      const ticket = await fetch(`${entry}/api/live/ticket`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      expect([ticket.status, ticket.headers.get('retry-after')]).toEqual([503, '5']);
      // The bot's state is out of reach: the turn says so (try again), it does not hang or crash.
      const started = Date.now();
      const turn = await say('ben', 'who am I a delegate for');
      expect(turn.replies.map((r) => r.text)).toEqual(['Something went wrong on my side. Please try again.']);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await redis.start();
    }
    expect(await waitFor(async () => (await Promise.all(urls.map(health))).every((s) => s === 200), 15_000)).toBe(true);
    for (const i of instances.values()) expect(i.tree.child.exitCode, i.output.slice(-2000)).toBeNull();
    // Redis came back empty (no persistence): the bot asks to sign in again, and it carries over again.
    const again = await say('ben', 'who am I a delegate for');
    expect(again.replies.some(isSignInCard)).toBe(true);
    const ticket = await fetch(`${entry}/api/live/ticket`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(ticket.status).toBe(200);
  }, 60_000);
});
