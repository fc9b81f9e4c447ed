/** permissions: what a delegate may do for the user, or what the user may do for an executive, in words. */
import type { DelegationEntry } from '../../../shared';
import { peopleCard } from '../cards';
import { chosen, pick } from '../choosePerson';
import { msg } from '../reply';
import type { Answer } from './answer';

const may = (e: DelegationEntry) => (e.permissionLabels.length ? e.permissionLabels.join(', ').toLowerCase() : 'nothing yet');
const forMe = (e: DelegationEntry) => `${e.person.displayName} may do this for you: ${may(e)}.`;
const forThem = (e: DelegationEntry) => `You may do this for ${e.person.displayName}: ${may(e)}.`;
const line = (e: DelegationEntry) => (e.relationship === 'delegate' ? forMe(e) : forThem(e));

export const answerPermissions: Answer<'permissions'> = async ({ target }, { desk, user, personId }) => {
  const view = await desk.loadDelegationView(user);
  if (target.kind === 'myDelegates') {
    if (view.delegates.length === 0) return msg('You have no delegates, so nobody may act for you.');
    return msg(view.delegates.map(forMe).join(' '), peopleCard('What your delegates may do', view.delegates));
  }
  if (target.kind === 'myDelegators') {
    if (view.delegators.length === 0) return msg('Nobody has made you their delegate.');
    return msg(view.delegators.map(forThem).join(' '), peopleCard('What you may do for them', view.delegators));
  }
  const m = await chosen(desk, user, target.name, personId);
  if (m.kind === 'none') return msg(`I couldn't find anyone called ${target.name}.`);
  if (m.kind === 'many') return pick(target.name, 'permissions', m);
  const entries = [...view.delegates, ...view.delegators].filter((e) => e.person.id === m.person.id);
  if (entries.length === 0) return msg(`${m.person.displayName} is not your delegate, and you are not theirs: no permissions either way.`);
  return msg(entries.map(line).join(' '), peopleCard(m.person.displayName, entries));
};
