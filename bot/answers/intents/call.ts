/** call: a call card for the best available delegate, or for the person named. */
import type { CallTarget } from '../../understanding/command';
import { callCard, peopleCard } from '../cards';
import { chosen, pick } from '../choosePerson';
import { msg, type BotReply } from '../reply';
import type { AnswerContext, Answer } from './answer';

async function callMyDelegate({ desk, user }: AnswerContext): Promise<BotReply> {
  const view = await desk.loadDelegationView(user);
  // Best first, among those Teams can call (a person whose directory entry could not be read has no UPN).
  const best = view.whoCanTakeMyCall.people.find((p) => p.person.userPrincipalName);
  if (!best) {
    const others = view.delegates.filter((d) => d.person.userPrincipalName);
    return msg(
      `${view.whoCanTakeMyCall.summary}${others.length ? ' You can still try one of them:' : ''}`,
      others.length ? peopleCard('Your delegates', others) : undefined,
    );
  }
  const why = `${best.reason.replace(/\.$/, '')} and may receive your calls, so I picked ${best.person.displayName}.`;
  return msg(why, callCard({ displayName: best.person.displayName, userPrincipalName: best.person.userPrincipalName! }));
}

async function callPerson(target: Extract<CallTarget, { kind: 'person' }>, { desk, user, personId }: AnswerContext): Promise<BotReply> {
  const m = await chosen(desk, user, target.name, personId);
  if (m.kind === 'none') return msg(`I couldn't find anyone called ${target.name}.`);
  if (m.kind === 'many') return pick(target.name, 'call', m);
  if (!m.person.userPrincipalName) return msg(`I can't call ${m.person.displayName}: Teams has no address for them.`);
  const why = `${m.person.displayName} is ${m.person.presence?.description.toLowerCase() ?? 'of unknown presence'}.`;
  return msg(
    `Ready to call ${m.person.displayName}.`,
    callCard({ displayName: m.person.displayName, userPrincipalName: m.person.userPrincipalName }, why),
  );
}

/** "call my boss": the first of the people the user covers for who is free (the view sorts them best first). */
async function callMyDelegator({ desk, user }: AnswerContext): Promise<BotReply> {
  const view = await desk.loadDelegationView(user);
  const callable = view.delegators.filter((d) => d.person.userPrincipalName);
  if (callable.length === 0) return msg('Nobody has made you their delegate, so I have no one to call.');
  const best = callable.find((d) => d.state === 'available') ?? callable[0]!;
  const why = `${best.person.displayName} is ${best.presence?.description.toLowerCase() ?? 'of unknown presence'}.`;
  return msg(why, callCard({ displayName: best.person.displayName, userPrincipalName: best.person.userPrincipalName! }));
}

export const answerCall: Answer<'call'> = (command, ctx) =>
  command.target.kind === 'myDelegate'
    ? callMyDelegate(ctx)
    : command.target.kind === 'myDelegator'
      ? callMyDelegator(ctx)
      : callPerson(command.target, ctx);
