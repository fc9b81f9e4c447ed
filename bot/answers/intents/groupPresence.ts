/** groupPresence: the presence of the user's delegates, or of the people the user covers for ("is my boss free"). */
import { peopleCard } from '../cards';
import { msg } from '../reply';
import type { Answer } from './answer';

export const answerGroupPresence: Answer<'groupPresence'> = async ({ who }, { desk, user }) => {
  const view = await desk.loadDelegationView(user);
  const people = who === 'myDelegates' ? view.delegates : view.delegators;
  if (people.length === 0) return msg(who === 'myDelegates' ? 'You have no delegates.' : 'Nobody has made you their delegate.');
  const text = people.map((e) => `${e.person.displayName}: ${e.presence?.description ?? 'presence unknown'}.`).join(' ');
  return msg(text, peopleCard(who === 'myDelegates' ? 'Your delegates now' : 'The people you cover for, now', people));
};
