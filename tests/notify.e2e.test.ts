/**
 * "Tell me when X is free", end to end: bot turns and tab requests over HTTP, the dev tenant's real
 * presence notifications (or the app-only poll), and a Bot Connector on loopback that receives the
 * proactive message, refuses it as Teams does when the bot was removed, or throttles it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../devtenant/testkit';
import { MemoryStore } from '../shared/store/memoryStore';
import { getJson } from '../shared/store/store';
import type { Watch } from '../shared/watch/watch';
import { watchStore } from '../shared/watch/watchStore';
import {
  eventually,
  presenceSettled,
  startConnector,
  startNotifyStack,
  type ConnectorStandIn,
  type NotifyStack,
} from './support/notifyStack';

const ADA = '00000000-0000-4000-8000-000000000001';
const BEN = '00000000-0000-4000-8000-000000000002';
const CLEO = '00000000-0000-4000-8000-000000000003';
const ada = { name: 'ada', aadObjectId: ADA };

let dt: TestTenant;
let connector: ConnectorStandIn;

beforeAll(async () => {
  [dt, connector] = await Promise.all([startTestTenant({ fixedClock: undefined }), startConnector()]);
});
afterAll(async () => {
  connector?.close();
  await dt?.close();
});

const setPresence = (user: string, availability: string, activity = availability) =>
  dt.admin('PUT', `/users/${user}/presence`, { availability, activity });
const auth = async (user: string) => ({ Authorization: `Bearer ${await dt.ssoToken(user)}`, 'content-type': 'application/json' });
const cards = (a: Posted['activity']) => JSON.stringify(a.attachments ?? []);
type Posted = ConnectorStandIn['posted'][number];
const texts = (replies: Array<{ text?: string }>) => replies.map((r) => r.text ?? '').join(' | ');

describe('watches from the tab and the chat, pushed by the watcher’s own presence subscription', () => {
  let stack: NotifyStack;
  const store = new MemoryStore();
  beforeAll(async () => {
    stack = await startNotifyStack(dt, connector, { store });
  });
  afterAll(() => stack.close());
  beforeEach(async () => {
    connector.posted.length = 0;
    connector.answer = () => ({ status: 200 });
    await stack.say(ada, 'stop notifying me');
    await presenceSettled(dt, stack, 'ada', 'cleo', 'Away');
    await presenceSettled(dt, stack, 'ada', 'ben', 'Available');
  });

  it('a watch from the tab: the bot messages the user when the person becomes available, once, with a card', async () => {
    await stack.say(ada, 'hi'); // the bot's chat with Ada exists
    const res = await fetch(`${stack.base}/api/watches`, {
      method: 'POST',
      headers: await auth('ada'),
      body: JSON.stringify({ personId: CLEO, timeZone: 'Europe/London' }),
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ outcome: 'watching', watch: { personId: CLEO, displayName: 'Cleo Assist', condition: 'free' } });
    const list = await (await fetch(`${stack.base}/api/watches`, { headers: await auth('ada') })).json();
    expect(list.watches.map((w: { personId: string }) => w.personId)).toEqual([CLEO]);
    expect(connector.posted).toHaveLength(0);

    await setPresence('cleo', 'Busy', 'InACall'); // not what the watch waits for
    await new Promise((r) => setTimeout(r, 1_000));
    expect(connector.posted).toHaveLength(0);

    await setPresence('cleo', 'Available');
    const sent = await eventually(() => connector.posted[0]);
    expect(sent.conversationId).toBe('a:ada');
    expect(sent.activity.text).toBe('Cleo Assist is available now: Available.');
    expect(cards(sent.activity)).toContain('Action.OpenUrl');
    expect(cards(sent.activity)).toContain(encodeURIComponent('cleo@fabrikam.test'));
    // Fired means gone: not listed, and another change sends nothing more.
    const after = await (await fetch(`${stack.base}/api/watches`, { headers: await auth('ada') })).json();
    expect(after.watches).toEqual([]);
    await setPresence('cleo', 'Away');
    await setPresence('cleo', 'Available');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(connector.posted).toHaveLength(1);
  });

  it('someone already available is answered at once, and no watch is kept', async () => {
    await stack.say(ada, 'hi');
    const res = await fetch(`${stack.base}/api/watches`, {
      method: 'POST',
      headers: await auth('ada'),
      body: JSON.stringify({ personId: BEN }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'alreadyMet', presence: { availability: 'Available' } });
    expect((await getJson<Watch[]>(store, 'watch:all'))?.filter((w) => w.personId === BEN) ?? []).toEqual([]);
  });

  it('bad requests get clear answers', async () => {
    await stack.say(ada, 'hi');
    const post = async (body: string, headers?: Record<string, string>) =>
      fetch(`${stack.base}/api/watches`, { method: 'POST', headers: headers ?? (await auth('ada')), body });
    const yourself = await post(JSON.stringify({ personId: ADA }));
    expect(yourself.status).toBe(400);
    expect((await yourself.json()).error.code).toBe('watchYourself');
    const stranger = await post(JSON.stringify({ personId: '00000000-0000-4000-8000-0000000000ff' }));
    expect(stranger.status).toBe(404);
    for (const bad of [
      '{',
      JSON.stringify({ personId: 'nope' }),
      JSON.stringify({ personId: CLEO, minutes: 100_000 }),
      JSON.stringify([]),
    ]) {
      const r = await post(bad);
      expect(r.status, bad).toBe(400);
      expect((await r.json()).error.code).toBe('badRequest');
    }
    const anonymous = await post(JSON.stringify({ personId: CLEO }), { 'content-type': 'application/json' });
    expect(anonymous.status).toBe(401);
    const del = await fetch(`${stack.base}/api/watches/not-a-guid`, { method: 'DELETE', headers: await auth('ada') });
    expect(del.status).toBe(400);
    const none = await fetch(`${stack.base}/api/watches/${BEN}`, { method: 'DELETE', headers: await auth('ada') });
    expect(none.status).toBe(404);
  });

  it('a user the bot never chatted with is told how to add it, not given a watch that cannot speak', async () => {
    // Ben takes Ada's calls; Ada is in a meeting, so the watch would be kept, but Ben never chatted with the bot.
    const again = await fetch(`${stack.base}/api/watches`, {
      method: 'POST',
      headers: await auth('ben'),
      body: JSON.stringify({ personId: ADA }),
    });
    expect(again.status).toBe(409);
    const body = await again.json();
    expect(body.error.code).toBe('botNotInstalled');
    expect(body.error.botChatUrl).toBe(`https://teams.microsoft.com/l/chat/0/0?users=28%3A${dt.clientId}`);
  });

  it('installing the bot (its conversationUpdate, no message yet) is enough for the tab’s watch', async () => {
    await stack.say({ name: 'ben', aadObjectId: BEN }, '', {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:bot' }],
      deliveryMode: undefined,
    });
    await eventually(async () => (await store.get(`conv:ref:${BEN}`)) ?? undefined);
    const res = await fetch(`${stack.base}/api/watches`, {
      method: 'POST',
      headers: await auth('ben'),
      body: JSON.stringify({ personId: ADA }),
    });
    expect(res.status).toBe(201);
    expect(await fetch(`${stack.base}/api/watches/${ADA}`, { method: 'DELETE', headers: await auth('ben') })).toHaveProperty('status', 204);
  });

  it('stopping a watch from the tab: nothing is sent later', async () => {
    await stack.say(ada, 'hi');
    const res = await fetch(`${stack.base}/api/watches`, {
      method: 'POST',
      headers: await auth('ada'),
      body: JSON.stringify({ personId: CLEO }),
    });
    expect(res.status).toBe(201);
    const del = await fetch(`${stack.base}/api/watches/${CLEO}`, { method: 'DELETE', headers: await auth('ada') });
    expect(del.status).toBe(204);
    await setPresence('cleo', 'Available');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(connector.posted).toHaveLength(0);
  });

  it('removed from the chat (connector 403): the reference and every watch of that user go', async () => {
    await stack.say(ada, 'hi');
    expect(await store.get(`conv:ref:${ADA}`)).toBeDefined();
    for (const personId of [CLEO])
      expect(
        (await fetch(`${stack.base}/api/watches`, { method: 'POST', headers: await auth('ada'), body: JSON.stringify({ personId }) }))
          .status,
      ).toBe(201);
    connector.answer = () => ({
      status: 403,
      body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } },
    });
    await setPresence('cleo', 'Available');
    await eventually(async () => (await store.get(`conv:ref:${ADA}`)) === undefined || undefined);
    const list = await (await fetch(`${stack.base}/api/watches`, { headers: await auth('ada') })).json();
    expect(list.watches).toEqual([]);
    await setPresence('cleo', 'Away');
    const again = await fetch(`${stack.base}/api/watches`, {
      method: 'POST',
      headers: await auth('ada'),
      body: JSON.stringify({ personId: CLEO }),
    });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('botNotInstalled');
  });

  it('a throttled connector (429) is retried: the message arrives once', async () => {
    await stack.say(ada, 'hi');
    expect(
      (await fetch(`${stack.base}/api/watches`, { method: 'POST', headers: await auth('ada'), body: JSON.stringify({ personId: CLEO }) }))
        .status,
    ).toBe(201);
    let refused = 0;
    connector.answer = () => (refused++ < 1 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200 });
    await setPresence('cleo', 'Available');
    const sent = await eventually(() => connector.posted[0]);
    expect(sent.activity.text).toContain('Cleo Assist is available now');
    expect(refused).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(connector.posted).toHaveLength(1);
  });

  it('confirms whom and until when, lists it, and sends the message in the same chat when the person is free', async () => {
    const reply = texts(await stack.say(ada, 'let me know when Cleo is free', { localTimezone: 'Europe/London' }));
    expect(reply).toMatch(/^OK\. I’ll message you here when Cleo Assist is available, until \d{1,2}:\d{2} [AP]M( tomorrow)?\.$/);
    expect(texts(await stack.say(ada, 'what am I waiting for'))).toMatch(
      /^You're waiting for one person: Cleo Assist \(when they are available, until /,
    );
    await setPresence('cleo', 'Available');
    const sent = await eventually(() => connector.posted[0]);
    expect(sent.conversationId).toBe('a:ada');
    expect(sent.activity.text).toBe('Cleo Assist is available now: Available.');
    expect(texts(await stack.say(ada, 'what am I waiting for'))).toMatch(/^You're not waiting for anyone/);
  });

  it('honours "for the next hour" and "back", and stops when asked', async () => {
    expect(texts(await stack.say(ada, "tell me when cleo's back for the next hour"))).toBe(
      'OK. I’ll message you here when Cleo Assist is back, for the next 60 minutes.',
    );
    const [w] = (await getJson<Watch[]>(store, 'watch:all'))!.filter((x) => x.oid === ADA);
    expect(w!.condition).toBe('back');
    expect(w!.until - w!.createdAt).toBe(60 * 60_000);
    expect(texts(await stack.say(ada, 'stop notifying me about cleo'))).toBe('OK, I stopped watching Cleo Assist.');
    await setPresence('cleo', 'Busy', 'InACall'); // "back" would have fired on this
    await new Promise((r) => setTimeout(r, 1_500));
    expect(connector.posted).toHaveLength(0);
  });

  it('"when my delegate is back" with two delegates asks which one, and the choice keeps "back"', async () => {
    const [question] = (await stack.say(ada, 'notify me when my delegate is back')) as Array<{
      text?: string;
      attachments?: Array<{ content: { actions?: Array<{ title: string; data: Record<string, unknown> }> } }>;
    }>;
    expect(question!.text).toBe('Which delegate should I tell you about?');
    const cleo = question!.attachments![0]!.content.actions!.find((a) => a.title.startsWith('Cleo'))!;
    expect(cleo.data).toMatchObject({ verb: 'pickPerson', intent: 'notify', personId: CLEO, condition: 'back' });
    expect(texts(await stack.say(ada, '', { value: cleo.data }))).toBe(
      'OK. I’ll message you here when Cleo Assist is back, for the next 8 hours.',
    );
    const [w] = await stack.app.watcher.list(ADA);
    expect(w).toMatchObject({ personId: CLEO, condition: 'back' });
  });

  it('"stop notifying me about my delegates" ends the watches on them, and says so when there are none', async () => {
    await stack.say(ada, 'let me know when Cleo is free');
    expect(texts(await stack.say(ada, 'stop notifying me about my delegates'))).toBe('OK, I stopped watching Cleo Assist.');
    expect(texts(await stack.say(ada, 'stop notifying me about my delegates'))).toBe("You're not waiting for anyone.");
  });

  it('answers at once for someone already available, and clearly for an unknown name, myself and past the cap', async () => {
    expect(texts(await stack.say(ada, 'let me know when Ben is free'))).toBe('Ben Assist is available now: Available.');
    expect(texts(await stack.say(ada, 'tell me when Zorro is free'))).toBe("I couldn't find anyone called Zorro.");
    expect(texts(await stack.say(ada, 'let me know when Ada Exec is free'))).toBe("That's you: there is nobody to wait for.");
    // 100 watches already (written through the Store as another instance would): the 101st is refused in words.
    const other = watchStore(store);
    for (let i = 0; i < 100; i++) {
      const personId = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
      await other.add({
        id: `w${i}`,
        oid: ADA,
        tid: dt.tenantId,
        personId,
        displayName: `P${i}`,
        userPrincipalName: null,
        condition: 'free',
        createdAt: Date.now(),
        until: Date.now() + 3_600_000,
        reportExpiry: false,
      });
    }
    expect(texts(await stack.say(ada, 'let me know when Cleo is free'))).toMatch(/^You're already waiting for 100 people, the most I keep/);
    expect(texts(await stack.say(ada, 'stop notifying me'))).toBe('OK, I stopped watching all 100 people.');
  });

  it('a watch that ends unfired says so only when asked to', async () => {
    await stack.say(ada, 'let me know when Cleo is free or tell me if not', { localTimezone: 'Europe/London' });
    // Time passes: the watch's end is moved into the past in the Store, and one sweep runs.
    const other = watchStore(store);
    const [w] = await other.list(ADA);
    await other.add({ ...w!, until: Date.now() - 1_000 });
    await stack.app.watcher.poll();
    const sent = await eventually(() => connector.posted[0]);
    expect(sent.activity.text).toMatch(/^I stopped watching Cleo Assist: it's past \d{1,2}:\d{2} [AP]M, and they weren't available\.$/);
    expect(await stack.app.watcher.list(ADA)).toEqual([]);
  });
});

describe('watches read by the app-only poll (no live subscription)', () => {
  let stack: NotifyStack;
  beforeAll(async () => {
    // No notification certificate: live presence is off, so only the poll can see the change.
    stack = await startNotifyStack(dt, connector, {
      env: { NOTIFICATION_CERT_PATH: undefined, NOTIFICATION_KEY_PATH: undefined, WATCH_POLL_SECONDS: '1' },
    });
  });
  afterAll(() => stack.close());

  it('the poll finds the change with one batched app-only call a round, and the message goes once', async () => {
    connector.posted.length = 0;
    connector.answer = () => ({ status: 200 });
    await setPresence('cleo', 'Away');
    await stack.say(ada, 'hi');
    expect(
      (await fetch(`${stack.base}/api/watches`, { method: 'POST', headers: await auth('ada'), body: JSON.stringify({ personId: CLEO }) }))
        .status,
    ).toBe(201);
    dt.context.counters.reset();
    await new Promise((r) => setTimeout(r, 2_500));
    const reads = dt.context.counters.get('graph POST /v1.0/communications/getPresencesByUserId');
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(3);
    expect(connector.posted).toHaveLength(0);
    await setPresence('cleo', 'Available');
    const sent = await eventually(() => connector.posted[0], 5_000);
    expect(sent.activity.text).toBe('Cleo Assist is available now: Available.');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(connector.posted).toHaveLength(1);
  });
});
