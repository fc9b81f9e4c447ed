/**
 * Reply time of the bot for "who is my delegate" (dev tenant, caches warm after the first turns) next
 * to a bare teams-ai echo bot measured in the same run, both over HTTP with deliveryMode expectReplies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { MemoryStorage } from 'botbuilder';
import { startTestTenant } from '../devtenant/testkit';
import { appFor, devIdentityFor } from '../tests/support/app';
import { measure, printTable } from './stats';

const dt = await startTestTenant({ fixedClock: undefined });
const servers: http.Server[] = [];
async function listen(app: express.Express): Promise<string> {
  const s = http.createServer(app);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  servers.push(s);
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/messages`;
}
try {
  const devIdentity = devIdentityFor(dt, 'ada@fabrikam.test');
  // The whole app as compose builds it (the bot at /api/messages, as in production).
  const ours = (await appFor(dt, { devIdentity })).handler;

  const adapter = new TeamsAdapter();
  const echoApp = new Application<TurnState>({ storage: new MemoryStorage(), adapter });
  echoApp.activity('message', async (context) => void (await context.sendActivity(`you said: ${context.activity.text}`)));
  const echo = express();
  echo.post('/api/messages', express.json(), (req, res) => void adapter.process(req, res, async (c) => void (await echoApp.run(c))));

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
  const post = (url: string, text: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(text) }).then((r) => r.json());
  const oursUrl = await listen(ours);
  const echoUrl = await listen(echo);
  printTable([
    await measure('Delegate Desk bot: "who is my delegate"', 200, () => post(oursUrl, 'who is my delegate')),
    await measure('bare teams-ai echo bot', 200, () => post(echoUrl, 'who is my delegate')),
  ]);
} finally {
  for (const s of servers) s.close();
  await dt.close();
}
