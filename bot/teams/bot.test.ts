import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestTenant, testSeed, TEAMS_WEB_CLIENT_ID, type TestTenant } from '../../devtenant/testkit';
import { appFor } from '../../tests/support/app';
import { invokeIn, tokenExchange } from '../../tests/support/botChat';
import { isDuplicateWrite } from './botApp';

let dt: TestTenant;
let botUrl: string;
let ssoBotUrl: string;
let serviceUrl: string;
const posted: Array<{ path: string; body: Record<string, unknown> }> = [];
const servers: http.Server[] = [];

async function listen(app: http.RequestListener): Promise<string> {
  const s = http.createServer(app);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  servers.push(s);
  return `http://localhost:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const seed = testSeed();
  seed.users.push({
    id: '00000000-0000-4000-8000-000000000009',
    givenName: 'Ben',
    surname: 'Other',
    userPrincipalName: 'ben.other',
    jobTitle: 'Engineer',
  });
  dt = await startTestTenant({ seed });
  // The whole app as compose builds it: with the dev identity (as `npm start`), and with Teams SSO.
  const users = dt.tenant.listUsers().map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName }));
  const devIdentity = {
    tokenUrl: `${dt.origin}/${dt.tenantId}/oauth2/v2.0/token`,
    clientId: TEAMS_WEB_CLIENT_ID,
    scope: `${dt.appIdUri}/access_as_user`,
    password: dt.tenant.userPassword,
    users,
    fallbackUpn: 'gus@fabrikam.test',
  };
  botUrl = `${await listen((await appFor(dt, { devIdentity })).handler)}/api/messages`;
  ssoBotUrl = `${await listen((await appFor(dt, { botIdentity: 'sso', env: { PORT: '4443' } })).handler)}/api/messages`;
  // The Bot Connector the bot replies to (Teams' role).
  serviceUrl = await listen((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      posted.push({ path: req.url!, body: JSON.parse(data || '{}') });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `r${posted.length}` }));
    });
  });
});
afterAll(async () => {
  for (const s of servers) s.close();
  await dt.close();
});
beforeEach(() => {
  posted.length = 0;
  dt.context.faults.reset();
});

const USER_IDS: Record<string, string> = {
  ada: '00000000-0000-4000-8000-000000000001',
  ben: '00000000-0000-4000-8000-000000000002',
  dan: '00000000-0000-4000-8000-000000000004',
  eve: '00000000-0000-4000-8000-000000000005',
  finn: '00000000-0000-4000-8000-000000000006',
  gus: '00000000-0000-4000-8000-000000000007',
  hana: '00000000-0000-4000-8000-000000000008',
};

function activity(user: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: `a${Math.random()}`,
    text,
    channelId: 'msteams',
    serviceUrl,
    deliveryMode: 'expectReplies',
    from: { id: `29:${user}`, name: user, aadObjectId: USER_IDS[user] },
    recipient: { id: '28:bot', name: 'Delegate Desk' },
    conversation: { id: `a:${user}-conversation`, conversationType: 'personal', tenantId: dt.tenantId },
    ...extra,
  };
}

type Reply = { text?: string; attachments?: Array<{ contentType: string; content: Record<string, unknown> }> };
async function ask(user: string, text: string, extra: Record<string, unknown> = {}, url = botUrl): Promise<Reply[]> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity(user, text, extra)),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { activities: Reply[] }).activities;
}
const cardText = (r: Reply) => JSON.stringify(r.attachments?.[0]?.content ?? {});

describe('bot over HTTP with the dev identity', () => {
  it('answers "who is my delegate" with a card of delegates, presence, permissions and call buttons', async () => {
    const [r] = await ask('ada', 'who is my delegate?');
    expect(r!.text).toBe('Ben Assist can take your call now.');
    expect(r!.attachments![0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = cardText(r!);
    for (const s of [
      'Ben Assist',
      'Cleo Assist',
      'Receive calls',
      'Taking calls for Ada',
      'https://teams.microsoft.com/l/call/0/0?users=ben%40fabrikam.test',
    ])
      expect(card).toContain(s);
    // Presence in words, coloured as Teams colours it.
    expect(card).toContain('{"type":"TextRun","text":"Available","color":"Good"}');
    expect(card).toContain('{"type":"TextRun","text":"Away","color":"Warning"}');
  });

  it('does not repeat the message text inside its card', async () => {
    for (const [who, question] of [
      ['ada', 'who is my delegate'],
      ['ben', 'who am I a delegate for'],
      ['ada', 'who can take my call now'],
      ['ada', 'call my delegate'],
      ['ada', 'help'],
    ] as const) {
      const [r] = await ask(who, question);
      expect(r!.attachments, question).toHaveLength(1);
      expect(cardText(r!), question).not.toContain(r!.text!);
    }
  });

  it('answers whose delegate I am, who can take my call, and presence', async () => {
    expect((await ask('ben', 'who am I a delegate for'))[0]!.text).toContain('Ada Exec');
    expect((await ask('ada', 'who can take my call now'))[0]!.text).toBe('Ben Assist can take your call now.');
    expect((await ask('ada', 'is cleo available?'))[0]!.text).toBe('Cleo Assist: Away');
    expect((await ask('gus', "what's ada's status"))[0]!.text).toBe('Ada Exec: Busy, in a meeting');
  });

  it('asks which one for an ambiguous name, then answers the choice', async () => {
    const [r] = await ask('gus', 'is Ben available');
    expect(r!.text).toContain('more than one Ben');
    const actions = r!.attachments![0]!.content.actions as Array<{ title: string; data: Record<string, string> }>;
    expect(actions.map((a) => a.title)).toEqual(['Ben Assist (Assistant)', 'Ben Other (Engineer)']);
    const [answer] = await ask('gus', '', { value: actions[1]!.data });
    expect(answer!.text).toMatch(/^Ben Other: /);
  });

  it('says so for an unknown name, no delegates, and a disabled policy', async () => {
    expect((await ask('ada', 'is Zebediah available'))[0]!.text).toBe("I couldn't find anyone called Zebediah.");
    expect((await ask('gus', 'who is my delegate'))[0]!.text).toMatch(/You have no delegates/);
    expect((await ask('dan', 'who is my delegate'))[0]!.text).toMatch(/Call delegation is turned off/);
  });

  it('calls my best delegate, meets now, and sets and clears my status', async () => {
    const [call] = await ask('ada', 'call my delegate');
    expect(call!.text).toBe('Ben is available and may receive your calls, so I picked Ben Assist.');
    expect(cardText(call!)).toContain('https://teams.microsoft.com/l/call/0/0?users=ben%40fabrikam.test');
    const [meet] = await ask('ada', 'meet now with my delegates');
    expect(cardText(meet!)).toContain('https://teams.microsoft.com/l/meetup-join/');
    await ask('ben', "I'm busy for an hour");
    expect(dt.tenant.effectivePresence(USER_IDS.ben!).availability).toBe('Busy');
    await ask('ben', 'clear my status');
    expect(dt.tenant.effectivePresence(USER_IDS.ben!).availability).toBe('Available');
  });

  it('answers help, greetings and nonsense with the help card', async () => {
    for (const text of ['help', 'hello', 'qwertyuiop']) {
      const [r] = await ask('ada', text);
      expect(cardText(r!)).toContain('Who is my delegate');
    }
  });

  it('gives a friendly message when Graph is throttled', async () => {
    dt.context.faults.set({ rules: [{ match: 'callSettings', errors: { rate429: 1, rate503: 0, retryAfterSeconds: 0.05 } }] });
    expect((await ask('hana', 'who is my delegate'))[0]!.text).toMatch(/Teams is busy/);
  });

  it('answers a slow turn (over the typing indicator’s second) with the answer alone when replies are returned', async () => {
    dt.context.faults.set({ rules: [{ match: 'callSettings', latency: { fixedMs: 1_500 } }] });
    await ask('dan', 'help'); // the dev identity's sign-in is not what is slow
    const replies = await ask('dan', 'who is my delegate');
    expect(replies.map((r) => (r as { type?: string }).type)).toEqual(['message']);
  });

  it('replies through the connector when not asked to return replies', async () => {
    const res = await fetch(botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...activity('ada', 'who can take my call now'), deliveryMode: undefined }),
    });
    expect(res.status).toBe(200);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.path).toMatch(/^\/v3\/conversations\/a%3Aada-conversation\/activities\//);
    expect(posted[0]!.body.text).toBe('Ben Assist can take your call now.');
  });

  it('refuses malformed activities and unknown invokes without crashing', async () => {
    let res = await fetch(botUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nope":1}' });
    expect(res.status).toBe(400);
    res = await fetch(botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(invokeIn(activity('ada', ''), 'made/up')),
    });
    expect(res.status).toBe(501);
    expect((await ask('ada', 'who is my delegate'))[0]!.text).toBe('Ben Assist can take your call now.');
  });
});

describe('Teams SSO token exchange', () => {
  const invoke = (user: string, id: string, token: string) =>
    fetch(ssoBotUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tokenExchange(activity(user, ''), id, token)),
    });

  it('asks to sign in, then answers the pending question after the exchange, once', async () => {
    const [card] = await ask('ada', 'who is my delegate', {}, ssoBotUrl);
    const oauth = card!.attachments![0]!;
    expect(oauth.contentType).toBe('application/vnd.microsoft.card.oauth');
    expect((oauth.content.tokenExchangeResource as { uri: string }).uri).toBe(dt.appIdUri);

    // Teams waits for the exchange's answer: it comes before the (slow) answer to the pending question.
    await dt.admin('PUT', '/faults', { rules: [{ match: 'callSettings', latency: { fixedMs: 400 } }] });
    const res = await invoke('ada', 'x1', await dt.ssoToken('ada'));
    expect(res.status).toBe(200);
    expect(posted).toHaveLength(0);
    await expect.poll(() => posted.length).toBe(1);
    await dt.admin('DELETE', '/faults');
    expect(posted[0]!.body.text).toBe('Ben Assist can take your call now.');

    // A second delivery of the same exchange is a duplicate: an empty 200, and no second answer.
    const again = await invoke('ada', 'x1', await dt.ssoToken('ada'));
    expect([again.status, await again.text()]).toEqual([200, '']);
    // Two deliveries at the same moment: one handles it, the other is told nothing more.
    const token = await dt.ssoToken('ada');
    const both = await Promise.all([invoke('ada', 'x2', token), invoke('ada', 'x2', token)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const bodies = await Promise.all(both.map((r) => r.text()));
    expect(bodies.filter((b) => b.includes('"id":"x2"'))).toHaveLength(1);
    expect(posted).toHaveLength(1);
    // Signed in now: the next question is answered straight away.
    expect((await ask('ada', 'who can take my call now', {}, ssoBotUrl))[0]!.text).toBe('Ben Assist can take your call now.');
  });

  it('shows a consent card for a user without consent, and answers after consent and exchange', async () => {
    await dt.admin('DELETE', '/users/eve@fabrikam.test/consent');
    await invoke('eve', 'e1', await dt.ssoToken('eve'));
    await expect.poll(() => posted.length).toBe(0);
    const [consent] = await ask('eve', 'who am I a delegate for', {}, ssoBotUrl);
    expect(consent!.attachments![0]!.contentType).toBe('application/vnd.microsoft.card.oauth');
    // An exchange cannot give consent, so this card offers no token exchange (no sign-in loop).
    expect((consent!.attachments![0]!.content as { tokenExchangeResource?: unknown }).tokenExchangeResource).toBeUndefined();
    const buttons = (consent!.attachments![0]!.content as { buttons: Array<{ type: string; value: string }> }).buttons;
    expect(buttons[0]!.value).toMatch(/^http:\/\/localhost:4443\/auth-start\?/);
    // The person consents in the window the button opens; Teams then sends signin/verifyState.
    await dt.admin('PUT', '/users/eve@fabrikam.test/consent', {});
    const verify = await fetch(ssoBotUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(invokeIn(activity('eve', ''), 'signin/verifyState', { state: 'ok' })),
    });
    expect(verify.status).toBe(200);
    await expect.poll(() => posted.length).toBe(1);
    expect(String(posted[0]!.body.text)).toBe('Nobody has made you their delegate.');
  });

  it("rejects an exchange with a bad token, or with someone else's token, with 412 so Teams shows the sign-in page", async () => {
    const { token } = (await (await dt.admin('POST', '/tokens', { user: 'ada', foreignKey: true })).json()) as { token: string };
    expect((await invoke('ada', 'bad1', token)).status).toBe(412);
    const stolen = await invoke('ada', 'bad2', await dt.ssoToken('ben'));
    expect(stolen.status).toBe(412);
    expect(await stolen.text()).toContain('does not belong to the sender');
  });

  it('sends a claims challenge to the sign-in page, never into another silent exchange', async () => {
    const [first] = await ask('finn', 'who is my delegate', {}, ssoBotUrl);
    expect((first!.attachments![0]!.content as { tokenExchangeResource?: unknown }).tokenExchangeResource).toBeDefined();
    await invoke('finn', 'f1', await dt.ssoToken('finn'));
    // After the exchange the pending question meets the MFA challenge: a card with the page and the claims.
    await expect.poll(() => posted.length).toBe(1);
    const card = (
      posted[0]!.body.attachments as Array<{ content: { tokenExchangeResource?: unknown; buttons: Array<{ value: string }> } }>
    )[0]!.content;
    expect(card.tokenExchangeResource).toBeUndefined();
    const page = new URL(card.buttons[0]!.value);
    expect(`${page.origin}${page.pathname}`).toBe('http://localhost:4443/auth-start');
    expect(JSON.parse(page.searchParams.get('claims')!)).toHaveProperty('access_token');
    expect(page.searchParams.get('loginHint')).toBe('finn@fabrikam.test');
  });

  it('after the step-up in the sign-in window, asks Teams for a new token (an exchange) and answers with it', async () => {
    await ask('finn', 'who is my delegate', {}, ssoBotUrl);
    await invoke('finn', 'f2', await dt.ssoToken('finn'));
    await expect.poll(() => posted.length).toBe(1); // the claims card (page only)
    const verify = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(invokeIn(activity('finn', ''), 'signin/verifyState', { state: 'ok' })),
      });
    expect((await verify(ssoBotUrl)).status).toBe(200);
    // Not the weak token again: a sign-in card Teams answers with an exchange.
    await expect.poll(() => posted.length).toBe(2);
    const card = (posted[1]!.body.attachments as Array<{ content: { tokenExchangeResource?: { id: string } } }>)[0]!.content;
    expect(card.tokenExchangeResource?.id).toBeDefined();
    const mfa = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });
    expect((await invoke('finn', card.tokenExchangeResource!.id, await dt.ssoToken('finn', { claims: mfa }))).status).toBe(200);
    await expect.poll(() => posted.length).toBe(3);
    expect(String(posted[2]!.body.text)).toContain('Cleo');

    // The dev identity (npm start) steps up itself once the window reports success.
    posted.length = 0;
    const [challenge] = await ask('finn', 'who is my delegate');
    expect(challenge!.attachments![0]!.contentType).toBe('application/vnd.microsoft.card.oauth');
    expect((await verify(botUrl)).status).toBe(200);
    await expect.poll(() => posted.length).toBe(1);
    expect(String(posted[0]!.body.text)).toContain('Cleo');
    const [later] = await ask('finn', 'who is my delegate');
    expect(later!.text).toContain('Cleo');
  });

  it('treats an eTag conflict and an HTTP 412 alike as a duplicate', () => {
    expect(isDuplicateWrite(new Error('Storage: error writing "x" due to eTag conflict.'))).toBe(true);
    expect(isDuplicateWrite(Object.assign(new Error('Precondition Failed'), { statusCode: 412 }))).toBe(true);
    expect(isDuplicateWrite(new Error('disk full'))).toBe(false);
  });
});

describe('manifest commands', () => {
  it('answers every command title the manifest lists', async () => {
    const { mainCommands } = await import('../answers/commands');
    for (const c of mainCommands) {
      const [r] = await ask('ada', c.title);
      if (c.title !== 'Help') expect(r!.text, c.title).not.toMatch(/didn't understand/);
    }
  });
});

describe('welcome', () => {
  const update = (membersAdded: Array<{ id: string }>, conversationType = 'channel') =>
    ask('ada', '', {
      type: 'conversationUpdate',
      text: undefined,
      membersAdded,
      conversation: { id: 'a:team', conversationType, tenantId: dt.tenantId },
    });
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `29:member-${i}` }));

  it('greets once when the bot is installed, however many members the update lists', async () => {
    const replies = await update([...many(5000), { id: '28:bot' }]);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/^Hello!/);
  });

  it('does not greet each member of a team', async () => expect(await update(many(5000))).toHaveLength(0));

  it('greets the sender joining a personal chat', async () => {
    expect(await update([{ id: '29:ada' }], 'personal')).toHaveLength(1);
    expect(await update([{ id: '29:someone-else' }], 'personal')).toHaveLength(0);
  });
});

describe('production authentication', () => {
  const TEAMS = 'https://smba.trafficmanager.net/emea/';
  let prodUrl: string;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(prodUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const teamsActivity = () => ({ ...activity('ada', 'who is my delegate'), deliveryMode: undefined, serviceUrl: TEAMS });

  beforeAll(async () => {
    const { handler } = await appFor(dt, {
      env: { BOT_ID: dt.clientId, BOT_PASSWORD: 'secret', DEVTENANT_CONFIG_URL: undefined, LOCAL_TEAMS_HOST_ORIGIN: undefined },
    });
    prodUrl = `${await listen(handler)}/api/messages`;
  });

  it('answers 401 with a short reason to a request without a Bot Framework token', async () => {
    const res = await post(teamsActivity());
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { code: 'unauthorized', message: expect.stringMatching(/^Bot Framework authentication failed: .+\.$/) },
    });
    expect(posted).toHaveLength(0);
  });

  it('answers 401, never 500, to forged tokens', async () => {
    const { SignJWT, generateKeyPair, base64url } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256');
    const claims = { aud: dt.clientId, iss: 'https://api.botframework.com', serviceurl: TEAMS, exp: Math.floor(Date.now() / 1000) + 600 };
    const forged = [
      'Bearer nonsense',
      `Bearer ${base64url.encode('{"alg":"none"}')}.${base64url.encode(JSON.stringify(claims))}.`,
      `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'any' }).sign(new Uint8Array(32))}`,
      `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'forged' }).sign(privateKey)}`,
      // The emulator's issuer with a forged signature.
      `Bearer ${await new SignJWT({ ...claims, iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', appid: dt.clientId, ver: '1.0' }).setProtectedHeader({ alg: 'RS256', kid: 'forged' }).sign(privateKey)}`,
    ];
    for (const authorization of forged) {
      const res = await post(teamsActivity(), { authorization });
      const text = await res.text();
      expect(res.status, authorization.slice(0, 30)).toBe(401);
      expect(text).not.toMatch(/\n\s+at |node_modules|\.js:\d/);
    }
    expect(posted).toHaveLength(0);
  });

  it("refuses to reply anywhere but Teams' connector", async () => {
    for (const url of [serviceUrl, 'https://evil.example/', 'http://smba.trafficmanager.net/emea/', 'not a url', 42]) {
      const res = await post({ ...teamsActivity(), serviceUrl: url });
      expect(res.status, String(url)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/serviceUrl/);
    }
  });
});
