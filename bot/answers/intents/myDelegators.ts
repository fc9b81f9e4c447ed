/** myDelegators: whose delegate the user is. */
import { peopleCard } from '../cards';
import { msg } from '../reply';
import type { Answer } from './answer';

export const answerMyDelegators: Answer<'myDelegators'> = async (_command, { desk, user }) => {
  const view = await desk.loadDelegationView(user);
  if (view.delegators.length === 0) return msg('Nobody has made you their delegate.');
  const summary = `You are a delegate for ${view.delegators.map((d) => d.person.displayName).join(', ')}.`;
  return msg(summary, peopleCard(`You're a delegate for (${view.delegators.length})`, view.delegators));
};
