/**
 * Chaos: Graph throttling and outages, dropped connections, then a flaky token endpoint. Every tab load
 * and every bot turn ends with data or words a person understands, and no request is tried more than
 * 3 times (counted by the dev tenant per client-request-id).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestTenant, type TestTenant } from '../../devtenant/testkit';
import type { FaultConfigInput } from '../../devtenant/faults/faults';
import { appFor, devIdentityFor } from '../support/app';

const USERS = ['ada', 'ben', 'cleo', 'hana'];
const IDS: Record<string, string> = {
  ada: '00000000-0000-4000-8000-000000000001',
  ben: '00000000-0000-4000-8000-000000000002',
  cleo: '00000000-0000-4000-8000-000000000003',
  hana: '00000000-0000-4000-8000-000000000008',
};
/** What a person may be told while Graph or Entra ID misbehave. */
const CLEAR_CODES = new Set(['throttled', 'unavailable', 'authUnavailable']);

let dt: TestTenant;
let base: string;
const servers: http.Server[] = [];

beforeAll(async () => {
  dt = await startTestTenant();
  const devIdentity = devIdentityFor(dt, 'ada@fabrikam.test');
  // Caches that expire at once, so every load goes to Graph.
  const { handler } = await appFor(dt, { devIdentity, desk: { ttl: { presenceMs: 1, usersMs: 1, delegationsMs: 1 } } });
  const s = http.createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  servers.push(s);
  base = `http://localhost:${(s.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of servers) s.close();
  await dt.close();
});
beforeEach(() => {
  dt.context.faults.reset();
  dt.context.counters.reset();
});

/** A new SSO token each time (minted by the admin API, not the token endpoint), so each load also exchanges on-behalf-of. */
const freshToken = async (user: string) => ((await (await dt.admin('POST', '/tokens', { user })).json()) as { token: string }).token;

async function tabLoad(user: string): Promise<'data' | 'message'> {
  const res = await fetch(`${base}/api/delegation`, { headers: { Authorization: `Bearer ${await freshToken(user)}` } });
  const body = (await res.json()) as { delegates?: unknown[]; error?: { code: string; message: string } };
  if (res.status === 200) {
    expect(Array.isArray(body.delegates)).toBe(true);
    return 'data';
  }
  expect(CLEAR_CODES, JSON.stringify(body)).toContain(body.error?.code);
  expect(body.error!.message.length).toBeGreaterThan(10);
  return 'message';
}

async function botTurn(user: string): Promise<'data' | 'message'> {
  const activity = {
    type: 'message',
    id: `a${Math.random()}`,
    text: 'who is my delegate',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9',
    deliveryMode: 'expectReplies',
    from: { id: `29:${user}`, name: user, aadObjectId: IDS[user] },
    recipient: { id: '28:bot' },
    conversation: { id: `a:${user}`, conversationType: 'personal', tenantId: dt.tenantId },
  };
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  expect(res.status).toBe(200);
  const [reply] = ((await res.json()) as { activities: Array<{ text?: string; attachments?: unknown[] }> }).activities;
  const text = reply?.text ?? '';
  // Never the reply for an unexpected error; either the answer (with a card) or what is wrong.
  expect(text).not.toMatch(/on my side/);
  if (reply?.attachments?.length || /delegate|can take your call/i.test(text)) return 'data';
  expect(text).toMatch(/busy|not answering|unavailable|try again/i);
  return 'message';
}

async function run(faults: FaultConfigInput): Promise<{ outcomes: Record<string, number>; attempts: Record<number, number> }> {
  dt.context.faults.set(faults);
  const outcomes: Record<string, number> = { data: 0, message: 0 };
  for (let i = 0; i < 24; i++) {
    const user = USERS[i % USERS.length]!;
    outcomes[await tabLoad(user)]! += 1;
    outcomes[await botTurn(user)]! += 1;
  }
  const attempts = dt.context.counters.attemptsHistogram();
  // The figures for the notes: outcomes of 24 loads + 24 turns, and requests by number of attempts.
  console.log(`[chaos] ${JSON.stringify(faults.rules)}: ${JSON.stringify(outcomes)}, attempts ${JSON.stringify(attempts)}`);
  return { outcomes, attempts };
}

const maxAttempts = (h: Record<number, number>) => Math.max(...Object.keys(h).map(Number));

describe('chaos', () => {
  it('30% 429 and 10% 503 on every Graph request: data or a clear message, at most 3 tries a request', async () => {
    const { outcomes, attempts } = await run({ rules: [{ errors: { rate429: 0.3, rate503: 0.1, retryAfterSeconds: 0 } }] });
    expect(outcomes.data).toBeGreaterThan(0);
    expect(maxAttempts(attempts)).toBeLessThanOrEqual(3);
    // Retries happened (the faults bit), within the limit.
    expect(
      Object.keys(attempts)
        .map(Number)
        .some((n) => n > 1),
    ).toBe(true);
  });

  it('10% dropped connections: reads are retried, so nearly every load gets its data', async () => {
    const { outcomes, attempts } = await run({ rules: [{ dropRate: 0.1 }] });
    expect(maxAttempts(attempts)).toBeLessThanOrEqual(3);
    // A load fails only if one of its reads is dropped 3 times (0.1%): allow one for the odd streak.
    expect(outcomes.message).toBeLessThanOrEqual(1);
  });

  it('30% dropped token requests: each load ends with data or "sign-in is unavailable"', async () => {
    const { outcomes } = await run({ rules: [{ target: 'entra', match: '*', dropRate: 0.3 }] });
    expect(outcomes.data).toBeGreaterThan(0);
  });
});
