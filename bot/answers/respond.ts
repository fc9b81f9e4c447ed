/**
 * The bot's answers: a parsed command and the signed-in user in, a reply out. Framework-free: the
 * teams-ai wiring only turns replies into activities.
 */
import type { DelegateDesk, DelegationEntry, SsoUser } from '../../shared';
import type { Command } from '../understanding/parseCommand';
import { matchPeople, type Candidate } from '../people/matchPeople';
import { callCard, helpCard, meetingCard, peopleCard, pickPersonCard, presenceCard } from './cards';

import { msg, type BotReply } from './reply';
import { explain } from './explain';

export type { BotReply };
export { explain };

interface PersonChoice extends Candidate {
  entry?: DelegationEntry;
  jobTitle?: string | null;
  presence?: import('../../shared').PresenceView | null;
}

async function resolve(desk: DelegateDesk, user: SsoUser, name: string): Promise<ReturnType<typeof matchPeople<PersonChoice>>> {
  const view = await desk.loadDelegationView(user);
  const related: PersonChoice[] = [...view.delegates, ...view.delegators].map((e) => ({
    id: e.person.id, displayName: e.person.displayName, userPrincipalName: e.person.userPrincipalName, related: true, entry: e, jobTitle: e.person.jobTitle, presence: e.presence,
  }));
  const first = matchPeople(name, related);
  if (first.kind === 'one') return first;
  const found = await desk.findPeople(user, name.split(' ')[0] ?? name);
  const others: PersonChoice[] = found.map(({ person, presence }) => ({
    id: person.id!.toLowerCase(), displayName: person.displayName ?? '', userPrincipalName: person.userPrincipalName ?? null, related: false, jobTitle: person.jobTitle, presence,
  }));
  return matchPeople(name, [...related, ...others.filter((o) => !related.some((r) => r.id === o.id))]);
}

function pick(name: string, intent: string, m: { people: PersonChoice[] }): BotReply {
  return msg(`I know more than one ${name}. Which one do you mean?`, pickPersonCard(name, intent, m.people.map((p) => ({ id: p.id, displayName: p.displayName, userPrincipalName: p.userPrincipalName, detail: p.jobTitle ?? p.userPrincipalName ?? undefined }))));
}

const HELP_INTRO: Record<string, string> = {
  asked: 'I can tell you who covers your calls and who is free to take one.',
  greeting: 'Hello! I can tell you who covers your calls and who is free to take one.',
  thanks: "You're welcome. Anything else?",
  notUnderstood: "Sorry, I didn't understand that. Here is what I can do.",
};

/** Answers one command for one user. Every failure becomes a reply a person understands. */
export async function respond(command: Command, user: SsoUser, desk: DelegateDesk, opts: { personId?: string } = {}): Promise<BotReply> {
  try {
    return await answer(command, user, desk, opts);
  } catch (e) {
    return explain(e);
  }
}

async function answer(command: Command, user: SsoUser, desk: DelegateDesk, opts: { personId?: string }): Promise<BotReply> {
  switch (command.intent) {
    case 'help':
      return msg(HELP_INTRO[command.reason]!, helpCard());
    case 'myDelegates': {
      const view = await desk.loadDelegationView(user);
      if (view.delegates.length === 0) return msg('You have no delegates. To add one in Teams: Settings › Calls › Manage delegates › Add people.');
      return msg(view.whoCanTakeMyCall.summary, peopleCard(`Your delegates (${view.delegates.length})`, view.delegates));
    }
    case 'myDelegators': {
      const view = await desk.loadDelegationView(user);
      if (view.delegators.length === 0) return msg('Nobody has made you their delegate.');
      const summary = `You are a delegate for ${view.delegators.map((d) => d.person.displayName).join(', ')}.`;
      return msg(summary, peopleCard(`You're a delegate for (${view.delegators.length})`, view.delegators));
    }
    case 'whoCanTakeMyCall': {
      const view = await desk.loadDelegationView(user);
      const { people, summary } = view.whoCanTakeMyCall;
      return msg(summary, people.length ? peopleCard('Who can take your call now', people) : undefined);
    }
    case 'presence': {
      const m = await chosen(desk, user, command.name, opts.personId);
      if (m.kind === 'none') return msg(`I couldn't find anyone called ${command.name}.`);
      if (m.kind === 'many') return pick(command.name, 'presence', m);
      const p = m.person;
      const text = `${p.displayName}: ${p.presence?.description ?? 'presence unknown'}${p.presence?.statusMessage ? ` — “${p.presence.statusMessage}”` : ''}`;
      return msg(text, presenceCard({ displayName: p.displayName, userPrincipalName: p.userPrincipalName, jobTitle: p.jobTitle }, p.presence ?? null));
    }
    case 'call': {
      if (command.target.kind === 'myDelegate') {
        const view = await desk.loadDelegationView(user);
        // Best first, among those Teams can call (a person whose directory entry could not be read has no UPN).
        const best = view.whoCanTakeMyCall.people.find((p) => p.person.userPrincipalName);
        if (!best) {
          const others = view.delegates.filter((d) => d.person.userPrincipalName);
          return msg(`${view.whoCanTakeMyCall.summary}${others.length ? ' You can still try one of them:' : ''}`, others.length ? peopleCard('Your delegates', others) : undefined);
        }
        const why = `${best.reason.replace(/\.$/, '')} and may receive your calls, so I picked ${best.person.displayName}.`;
        return msg(why, callCard({ displayName: best.person.displayName, userPrincipalName: best.person.userPrincipalName! }));
      }
      const m = await chosen(desk, user, command.target.name, opts.personId);
      if (m.kind === 'none') return msg(`I couldn't find anyone called ${command.target.name}.`);
      if (m.kind === 'many') return pick(command.target.name, 'call', m);
      if (!m.person.userPrincipalName) return msg(`I can't call ${m.person.displayName}: Teams has no address for them.`);
      const why = `${m.person.displayName} is ${m.person.presence?.description.toLowerCase() ?? 'of unknown presence'}.`;
      return msg(`Ready to call ${m.person.displayName}.`, callCard({ displayName: m.person.displayName, userPrincipalName: m.person.userPrincipalName }, why));
    }
    case 'meetNow': {
      let attendees: Array<{ id: string; displayName: string }>;
      if (command.target.kind === 'myDelegates') {
        const view = await desk.loadDelegationView(user);
        attendees = view.delegates.filter((d) => d.isActive).map((d) => ({ id: d.person.id, displayName: d.person.displayName }));
        if (attendees.length === 0) return msg('You have no active delegates to meet with.');
      } else {
        const m = await chosen(desk, user, command.target.name, opts.personId);
        if (m.kind === 'none') return msg(`I couldn't find anyone called ${command.target.name}.`);
        if (m.kind === 'many') return pick(command.target.name, 'meetNow', m);
        attendees = [{ id: m.person.id, displayName: m.person.displayName }];
      }
      const who = attendees.map((a) => a.displayName).join(', ');
      const meeting = await desk.createMeeting(user, { subject: `Meet now with ${who}`, attendeeIds: attendees.map((a) => a.id) });
      return msg(`Your meeting with ${who} is ready.`, meetingCard(meeting.joinWebUrl, who));
    }
    case 'setStatus': {
      const parts: string[] = [];
      if (command.availability) {
        await desk.setMyPresence(user, command.availability, command.durationMinutes);
        parts.push(`You show as ${command.availability.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}${command.durationMinutes ? ` for ${command.durationMinutes} minutes` : ''}.`);
      }
      if (command.message) {
        await desk.setMyStatusMessage(user, command.message, command.durationMinutes ? new Date(Date.now() + command.durationMinutes * 60_000) : undefined);
        parts.push(`Your status message is “${command.message}”.`);
      }
      return msg(parts.join(' ') || 'Tell me what to set, for example "set my status to In the lab".');
    }
    case 'clearStatus':
      await desk.clearMyPresence(user);
      return msg('Your presence and status message are cleared.');
  }
}

/** A person picked from an ambiguity card wins over a new name lookup. */
async function chosen(desk: DelegateDesk, user: SsoUser, name: string, personId?: string) {
  const m = await resolve(desk, user, name);
  if (personId && m.kind === 'many') {
    const person = m.people.find((p) => p.id === personId);
    if (person) return { kind: 'one' as const, person };
  }
  return m;
}
