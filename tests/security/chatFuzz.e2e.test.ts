/**
 * Chat fuzz: thousands of random messages (unicode, right-to-left, emoji, 100 kB, markdown, HTML, card
 * JSON, template expressions) each get an answer or help, never the unexpected-error reply; and where a
 * card shows another user's data (a delegate whose name, title and status message are markdown links
 * and images), it shows it as literal text: no link, image or template evaluation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTenant, testSeed, type TestTenant } from '../../devtenant/testkit';
import { seeded, startBotChat, type BotChat } from '../support/botChat';
import { HOSTILE, randomInput } from '../support/chatFuzz';

const ADA = { name: 'ada', aadObjectId: '00000000-0000-4000-8000-000000000001' };
const MALLORY = '00000000-0000-4000-8000-0000000000ee';

let dt: TestTenant;
let chat: BotChat;

beforeAll(async () => {
  const seed = testSeed();
  // A colleague whose every field is hostile, and who is Ada's delegate: her cards show them all.
  seed.users.push({
    id: MALLORY,
    givenName: HOSTILE.link,
    surname: HOSTILE.image,
    userPrincipalName: 'mallory',
    jobTitle: HOSTILE.html,
    department: HOSTILE.template,
    presence: {
      availability: 'Available',
      activity: 'Available',
      statusMessage: `${HOSTILE.link} ${HOSTILE.angle} ${HOSTILE.template}`,
      outOfOfficeMessage: HOSTILE.image,
    },
  });
  seed.delegations!.push({ delegator: 'ada', delegate: 'mallory', allowedActions: { receiveCalls: true } });
  dt = await startTestTenant({ seed });
  chat = await startBotChat(dt);
});
afterAll(async () => {
  await chat.close();
  await dt.close();
});

type Reply = { type: string; text?: string; textFormat?: string; attachments?: Array<{ contentType: string; content: unknown }> };

async function say(text: string): Promise<Reply[]> {
  const res = await fetch(chat.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(chat.activity(ADA, text)),
  });
  expect(res.status, text.slice(0, 80)).toBe(200);
  return ((await res.json()) as { activities: Reply[] }).activities;
}

/** Every problem in a card: links or images where markdown is rendered, foreign URLs, images. */
function cardProblems(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) cardProblems(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Image' || o.type === 'ImageSet' || o.type === 'Media') out.push(`${o.type} element`);
    if (o.type === 'TextBlock' && typeof o.text === 'string' && /\]\(|!\[|<https?:|<a |<img|evil\.example/i.test(o.text))
      out.push(`markdown in TextBlock: ${o.text}`);
    if (o.type === 'Action.OpenUrl' && !/^https:\/\/teams\.microsoft\.com\/l\//.test(String(o.url)))
      out.push(`foreign link: ${String(o.url)}`);
    if (o.selectAction) out.push('selectAction');
    for (const v of Object.values(o)) cardProblems(v, out);
  }
  return out;
}

function check(input: string, replies: Reply[]): void {
  expect(replies.length, input.slice(0, 80)).toBeGreaterThan(0);
  for (const r of replies) {
    if (r.type !== 'message') continue;
    const isSignIn = r.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.oauth');
    if (!isSignIn) {
      expect(r.text?.length, input.slice(0, 80)).toBeGreaterThan(0);
      expect(r.textFormat).toBe('plain');
    }
    expect(r.text ?? '', input.slice(0, 80)).not.toMatch(/on my side/);
    for (const a of r.attachments ?? []) expect(cardProblems(a.content), input.slice(0, 80)).toEqual([]);
  }
}

describe('chat fuzz', () => {
  it('shows a delegate whose fields are markdown links, images and HTML as literal text', async () => {
    // (She is out of office, so "who can take my call now" leaves her out: it is checked, not searched.)
    check('who can take my call now', await say('who can take my call now'));
    for (const q of ['who is my delegate', 'is mallory available', 'call mallory']) {
      const replies = await say(q);
      check(q, replies);
      const card = JSON.stringify(replies[0]!.attachments?.[0]?.content ?? {});
      // The hostile text is there, literally, in TextRuns.
      expect(card, q).toContain(JSON.stringify(HOSTILE.link).slice(1, -1));
    }
    const card = JSON.stringify((await say('is mallory available'))[0]!.attachments![0]!.content);
    // Nothing of it was evaluated as a template.
    expect(card).toContain('${$root} ${1+1} {{name}}');
  });

  it('echoes a status message as typed, markdown and template expressions included', async () => {
    const [r] = await say('set my status to [Verify](https://evil.example) ${1+1}');
    expect(r!.text).toBe('Your status message is “[Verify](https://evil.example) ${1+1}”.');
    expect(r!.textFormat).toBe('plain');
    await say('clear my status');
  });

  it('answers 2,000 random messages with an answer or help', async () => {
    const random = seeded(20261201);
    const inputs = Array.from({ length: 2000 }, () => randomInput(random));
    // A few very long ones (100 kB) as well.
    inputs.push('who is my delegate '.repeat(5300), HOSTILE.link.repeat(2000), '👩‍💼'.repeat(25_000));
    let helped = 0;
    for (let i = 0; i < inputs.length; i += 8) {
      const batch = inputs.slice(i, i + 8);
      const results = await Promise.all(batch.map((t) => say(t)));
      results.forEach((replies, j) => {
        check(batch[j]!, replies);
        if (/didn't understand|what I can do|I can tell you/.test(replies[0]?.text ?? '')) helped++;
      });
    }
    console.log(`[chat fuzz] ${inputs.length} messages: ${helped} answered with help, ${inputs.length - helped} with an answer`);
    await say('clear my status');
  }, 300_000);
});
