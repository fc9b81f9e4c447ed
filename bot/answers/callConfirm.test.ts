/** A call to someone presenting, in Do not disturb or out of office asks first; the Confirm press gives the call. Over HTTPS to the dev tenant. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../../devtenant/testkit';
import type { DelegateDesk, SsoUser } from '../../shared';
import { startBotChat } from '../../tests/support/botChat';
import { deskFor } from '../../tests/support/desk';
import { parseCommand } from '../understanding/parseCommand';
import { respond } from './respond';
import { submitted } from './submitted';

const ADA = '00000000-0000-4000-8000-000000000001';

let dt: TestTenant;
let desk: DelegateDesk;
let ada: SsoUser;
beforeAll(async () => {
  dt = await startTestTenant();
  desk = deskFor(dt);
  ada = await desk.validateSsoToken(await dt.ssoToken('ada'));
});
afterAll(async () => dt.close());
beforeEach(() => desk.invalidate());

type Action = { type: string; title: string; url?: string; data?: Record<string, unknown> };
const actionsOf = (card: unknown): Action[] => (card as { actions?: Action[] } | undefined)?.actions ?? [];
const pin = (user: string, presence: Record<string, unknown>) => dt.admin('PUT', `/users/${user}/presence`, presence);
async function ask(text: string) {
  const r = await respond(parseCommand(text), ada, desk);
  if (r.kind !== 'message') throw new Error(`expected a message, got ${r.kind}`);
  return r;
}

describe('call with confirmation', () => {
  it.each([
    [
      { availability: 'DoNotDisturb', activity: 'Presenting' },
      'Ben Assist is presenting right now. A call would interrupt them. Call anyway?',
    ],
    [
      { availability: 'DoNotDisturb', activity: 'DoNotDisturb' },
      'Ben Assist is in Do not disturb: only priority contacts get through. Call anyway?',
    ],
    [
      { availability: 'Away', activity: 'OutOfOffice', outOfOfficeMessage: '[Back Monday](https://evil.example)' },
      'Ben Assist is out of office. Call anyway?',
    ],
  ])('%j: warns with Call anyway and Chat instead, no call link', async (presence, text) => {
    await (await pin('ben', presence)).arrayBuffer();
    const r = await ask('call Ben');
    expect(r.text).toBe(text);
    const actions = actionsOf(r.card);
    expect(actions.map((a) => [a.type, a.title])).toEqual([
      ['Action.Submit', 'Call anyway'],
      ['Action.OpenUrl', 'Chat instead'],
    ]);
    expect(JSON.stringify(r.card)).not.toContain('/l/call/');
    if ('outOfOfficeMessage' in presence) {
      // Someone else's words: a TextRun, never markdown.
      expect(JSON.stringify(r.card)).toContain('{"type":"TextRun","text":"Out of office: [Back Monday](https://evil.example)"');
    }
    // The press comes back as the card's value: it places the call.
    const confirmed = submitted(actions[0]!.data);
    expect(confirmed?.command).toEqual({ intent: 'call', target: { kind: 'person', name: 'Ben Assist' }, video: false, confirmed: true });
    const call = await respond(confirmed!.command, ada, desk, { personId: confirmed!.personId });
    expect(call.kind === 'message' && call.text).toBe('Ready to call Ben Assist.');
    expect(JSON.stringify(call.kind === 'message' && call.card)).toContain(
      'https://teams.microsoft.com/l/call/0/0?users=ben%40fabrikam.test',
    );
  });

  it('calls at once when the person is free or busy in an ordinary way', async () => {
    for (const presence of [
      { availability: 'Available', activity: 'Available' },
      { availability: 'Busy', activity: 'InACall' },
    ]) {
      await (await pin('ben', presence)).arrayBuffer();
      desk.invalidate();
      const r = await ask('call Ben');
      expect(r.text).toBe('Ready to call Ben Assist.');
      expect(actionsOf(r.card).map((a) => a.title)).toEqual(['Call Ben Assist', 'Video call']);
    }
  });
});

describe('call with confirmation, through the bot endpoint', () => {
  it('sends the warning card, and places the call when its Call anyway value comes back', async () => {
    const chat = await startBotChat(dt);
    try {
      const turn = async (text: string, extra: Record<string, unknown> = {}) => {
        const res = await fetch(chat.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(chat.activity({ name: 'ada', aadObjectId: ADA }, text, extra)),
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { activities: Array<{ text: string; attachments?: Array<{ content: unknown }> }> }).activities[0]!;
      };
      await (await pin('ben', { availability: 'DoNotDisturb', activity: 'Presenting' })).arrayBuffer();
      const warned = await turn('call Ben');
      expect(warned.text).toMatch(/^Ben Assist is presenting right now/);
      const confirm = actionsOf(warned.attachments![0]!.content).find((a) => a.title === 'Call anyway')!;
      const placed = await turn('', { value: confirm.data });
      expect(placed.text).toBe('Ready to call Ben Assist.');
      expect(JSON.stringify(placed.attachments)).toContain('https://teams.microsoft.com/l/call/0/0?users=ben%40fabrikam.test');
      // A forged value is no call: it is read as the (empty) message, which asks nothing.
      const forged = await turn('', { value: { verb: 'confirmCall', personId: '<script>', name: 'Ben' } });
      expect(JSON.stringify(forged)).not.toContain('/l/call/');
    } finally {
      await chat.close();
    }
  });
});
