/** whoCanTakeMyCall: the delegates free to take a call now, best first. */
import { peopleCard } from '../cards';
import { msg } from '../reply';
import type { Answer } from './answer';

export const answerWhoCanTakeMyCall: Answer<'whoCanTakeMyCall'> = async (_command, { desk, user }) => {
  const view = await desk.loadDelegationView(user);
  const { people, summary } = view.whoCanTakeMyCall;
  return msg(summary, people.length ? peopleCard('Who can take your call now', people) : undefined);
};
