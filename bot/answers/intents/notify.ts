/**
 * notify, listWatches, cancelWatch: "tell me when Alex is free", what I wait for, and stopping it; and
 * the message the bot sends later, when the person is there (or, asked for, when the watch ends).
 */
import type { DelegationEntry, PresenceView } from '../../../shared';
import type { WatchCondition } from '../../../shared/api';
import { describeEnd, describeUntil, WAITING_FOR, type Watch } from '../../../shared/watch/watch';
import { WatchLimitError } from '../../../shared/watch/watchStore';
import type { WatchEvent } from '../../../shared/watch/watcher';
import { pickPersonCard, presenceCard } from '../cards';
import { chosen, pick } from '../choosePerson';
import { matchPeople } from '../../people/matchPeople';
import { msg, type BotReply } from '../reply';
import type { Answer, AnswerContext } from './answer';

interface Target {
  id: string;
  displayName: string;
  userPrincipalName: string | null;
  presence: PresenceView | null;
}

const fromEntry = (e: DelegationEntry): Target => ({
  id: e.person.id,
  displayName: e.person.displayName,
  userPrincipalName: e.person.userPrincipalName,
  presence: e.presence,
});

const NOT_NOW: Record<WatchCondition, string> = { free: 'available', back: 'back' };

/** What a "which one" card must send back so the choice keeps the request's details (answers/submitted reads them). */
const details = (c: Parameters<Answer<'notify'>>[0]) => ({
  condition: c.condition,
  ...(c.durationMinutes ? { minutes: c.durationMinutes } : {}),
  ...(c.reportExpiry ? { reportExpiry: true } : {}),
});

/** Whom "my delegate" / "my boss" / a name means; a reply instead when that needs a question. */
async function targetOf(command: Parameters<Answer<'notify'>>[0], ctx: AnswerContext): Promise<Target | BotReply> {
  const { desk, user, personId } = ctx;
  if (personId) {
    // A choice from a "which one" card: one of the user's own people first (their card named no search).
    const view = await desk.loadDelegationView(user);
    const entry = [...view.delegates, ...view.delegators].find((e) => e.person.id === personId);
    if (entry) return fromEntry(entry);
  }
  if (command.target.kind === 'person') {
    const m = await chosen(desk, user, command.target.name, personId);
    if (m.kind === 'none') return msg(`I couldn't find anyone called ${command.target.name}.`);
    if (m.kind === 'many') return pick(command.target.name, 'notify', m, details(command));
    return {
      id: m.person.id,
      displayName: m.person.displayName,
      userPrincipalName: m.person.userPrincipalName,
      presence: m.person.presence ?? null,
    };
  }
  const view = await desk.loadDelegationView(user);
  const mine = command.target.kind === 'myDelegate' ? view.delegates : view.delegators;
  if (mine.length === 0)
    return msg(command.target.kind === 'myDelegate' ? 'You have no delegates to wait for.' : 'Nobody has made you their delegate.');
  const picked = personId ? mine.find((e) => e.person.id === personId) : mine.length === 1 ? mine[0] : undefined;
  if (picked) return fromEntry(picked);
  const relation = command.target.kind === 'myDelegate' ? 'delegate' : 'executive';
  return msg(
    `Which ${relation} should I tell you about?`,
    pickPersonCard(
      `your ${relation}s`,
      'notify',
      mine.map((e) => ({ id: e.person.id, displayName: e.person.displayName, userPrincipalName: e.person.userPrincipalName })),
      details(command),
    ),
  );
}

export const answerNotify: Answer<'notify'> = async (command, ctx) => {
  const { watcher, user, zone } = ctx;
  if (!watcher) return msg("I can't message you later from here, so I can't watch someone's presence for you.");
  const target = await targetOf(command, ctx);
  if ('kind' in target) return target;
  try {
    const r = await watcher.watch(user, {
      personId: target.id,
      displayName: target.displayName,
      userPrincipalName: target.userPrincipalName,
      condition: command.condition,
      presence: target.presence,
      minutes: command.durationMinutes,
      reportExpiry: command.reportExpiry,
      zone,
    });
    switch (r.outcome) {
      case 'yourself':
        return msg("That's you: there is nobody to wait for.");
      case 'noConversation':
        return msg("I can't message you later in this chat. Open your personal chat with Delegate Desk and ask me there.");
      case 'alreadyMet':
        return msg(
          `${target.displayName} is ${NOT_NOW[command.condition]} now: ${r.presence?.description ?? 'presence unknown'}.`,
          presenceCard(target, r.presence),
        );
      case 'watching': {
        const until = describeUntil(r.watch.until, r.watch.createdAt, r.watch.zone);
        const expiry = r.watch.reportExpiry ? ' If not, I’ll tell you when I stop.' : '';
        return msg(`OK. I’ll message you here when ${target.displayName} ${WAITING_FOR[command.condition]}, ${until}.${expiry}`);
      }
    }
  } catch (e) {
    if (e instanceof WatchLimitError)
      return msg(`You're already waiting for ${e.limit} people, the most I keep. Say "stop notifying me about <name>" to free one.`);
    throw e;
  }
};

const line = (w: Watch, now: number) =>
  `${w.displayName} (when they ${WAITING_FOR[w.condition].replace(/^is /, 'are ')}, ${describeUntil(w.until, now, w.zone)})`;

export const answerListWatches: Answer<'listWatches'> = async (_command, { watcher, user }) => {
  const watches = watcher ? await watcher.list(user.oid) : [];
  if (watches.length === 0) return msg('You\'re not waiting for anyone. Say "let me know when <name> is free" to start.');
  const now = Date.now();
  return msg(
    `You're waiting for ${watches.length === 1 ? 'one person' : `${watches.length} people`}: ${watches.map((w) => line(w, now)).join('; ')}.`,
  );
};

/** "Stop notifying me about my boss": a relationship, not a name. */
const RELATION: Array<[RegExp, 'delegates' | 'delegators']> = [
  [/^(?:my |the )?(?:delegates?|assistants?)$/, 'delegates'],
  [/^(?:my |the )?(?:boss(?:es)?|executives?|managers?|delegators?)$/, 'delegators'],
];

export const answerCancelWatch: Answer<'cancelWatch'> = async ({ name }, { watcher, user, desk }) => {
  const watches = watcher ? await watcher.list(user.oid) : [];
  if (watches.length === 0) return msg("You're not waiting for anyone.");
  if (!name) {
    await watcher!.cancel(user.oid);
    return msg(`OK, I stopped watching ${watches.length === 1 ? watches[0]!.displayName : `all ${watches.length} people`}.`);
  }
  const relation = RELATION.find(([re]) => re.test(name.trim().toLowerCase()))?.[1];
  if (relation) {
    const view = await desk.loadDelegationView(user);
    const ids = new Set(view[relation].map((e) => e.person.id));
    const gone = watches.filter((w) => ids.has(w.personId));
    if (gone.length === 0)
      return msg(`You're not waiting for any of ${relation === 'delegates' ? 'your delegates' : 'the people you take calls for'}.`);
    for (const w of gone) await watcher!.cancel(user.oid, w.personId);
    return msg(`OK, I stopped watching ${gone.map((w) => w.displayName).join(' and ')}.`);
  }
  const m = matchPeople(
    name,
    watches.map((w) => ({ id: w.personId, displayName: w.displayName, userPrincipalName: w.userPrincipalName, related: true })),
  );
  if (m.kind === 'none') return msg(`You're not waiting for anyone called ${name}.`);
  const gone = m.kind === 'one' ? [m.person] : m.people;
  for (const p of gone) await watcher!.cancel(user.oid, p.id);
  return msg(`OK, I stopped watching ${gone.map((p) => p.displayName).join(' and ')}.`);
};

/** The message the bot sends on its own when a watch fires or (asked for) ends. */
export function watchMessage(event: WatchEvent): BotReply {
  const w = event.watch;
  if (event.kind === 'expired')
    return msg(`I stopped watching ${w.displayName}: ${describeEnd(w.until, w.zone)}, and they weren't ${NOT_NOW[w.condition]}.`);
  return msg(
    `${w.displayName} ${WAITING_FOR[w.condition]} now: ${event.presence.description}.`,
    presenceCard({ displayName: w.displayName, userPrincipalName: w.userPrincipalName }, event.presence),
  );
}
