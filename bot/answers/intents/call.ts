/** call: a call card for the best available delegate, or for the person named. */
import type { PresenceView } from '../../../shared';
import type { CallTarget } from '../../understanding/command';
import { callCard, confirmCallCard, peopleCard } from '../cards';
import { chosen, pick } from '../choosePerson';
import { msg, type BotReply } from '../reply';
import type { AnswerContext, Answer } from './answer';

/** When a call would interrupt: the first that applies, in the words of the warning. */
const INTERRUPTS: Array<[(p: PresenceView) => boolean, (name: string) => string]> = [
  [(p) => p.activity === 'Presenting', (name) => `${name} is presenting right now. A call would interrupt them.`],
  [(p) => p.availability === 'DoNotDisturb', (name) => `${name} is in Do not disturb: only priority contacts get through.`],
  [(p) => p.outOfOffice.isOutOfOffice || p.activity === 'OutOfOffice', (name) => `${name} is out of office.`],
];

export function interruptionWarning(name: string, presence: PresenceView | null | undefined): string | undefined {
  if (!presence) return undefined;
  return INTERRUPTS.find(([applies]) => applies(presence))?.[1](name);
}

type Callee = { id: string; displayName: string; userPrincipalName: string };

/** The call card, or first a warning with a Confirm button when the call would interrupt (not once confirmed). */
function callOrConfirm(
  callee: Callee,
  presence: PresenceView | null | undefined,
  text: string,
  detail: string,
  video: boolean,
  confirmed?: boolean,
) {
  const warning = confirmed ? undefined : interruptionWarning(callee.displayName, presence);
  if (warning)
    return msg(`${warning} Call anyway?`, confirmCallCard(callee, warning, { video, outOfOfficeMessage: presence?.outOfOffice.message }));
  return msg(text, callCard(callee, detail));
}

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

async function callPerson(
  { target, video, confirmed }: { target: Extract<CallTarget, { kind: 'person' }>; video: boolean; confirmed?: boolean },
  { desk, user, personId }: AnswerContext,
): Promise<BotReply> {
  const m = await chosen(desk, user, target.name, personId);
  if (m.kind === 'none') return msg(`I couldn't find anyone called ${target.name}.`);
  if (m.kind === 'many') return pick(target.name, 'call', m, video ? { video } : {});
  if (!m.person.userPrincipalName) return msg(`I can't call ${m.person.displayName}: Teams has no address for them.`);
  const why = `${m.person.displayName} is ${m.person.presence?.description.toLowerCase() ?? 'of unknown presence'}.`;
  const callee = { id: m.person.id, displayName: m.person.displayName, userPrincipalName: m.person.userPrincipalName };
  return callOrConfirm(callee, m.person.presence, `Ready to call ${m.person.displayName}.`, why, video, confirmed);
}

/** "call my boss": the first of the people the user covers for who is free (the view sorts them best first). */
async function callMyDelegator({ desk, user }: AnswerContext, video: boolean): Promise<BotReply> {
  const view = await desk.loadDelegationView(user);
  const callable = view.delegators.filter((d) => d.person.userPrincipalName);
  if (callable.length === 0) return msg('Nobody has made you their delegate, so I have no one to call.');
  const best = callable.find((d) => d.state === 'available') ?? callable[0]!;
  const why = `${best.person.displayName} is ${best.presence?.description.toLowerCase() ?? 'of unknown presence'}.`;
  const callee = { id: best.person.id, displayName: best.person.displayName, userPrincipalName: best.person.userPrincipalName! };
  return callOrConfirm(callee, best.presence, why, '', video);
}

export const answerCall: Answer<'call'> = (command, ctx) =>
  command.target.kind === 'myDelegate'
    ? callMyDelegate(ctx)
    : command.target.kind === 'myDelegator'
      ? callMyDelegator(ctx, command.video)
      : callPerson({ target: command.target, video: command.video, confirmed: command.confirmed }, ctx);
