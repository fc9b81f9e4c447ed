/** myDelegates: the user's delegates, or how to add one. */
import { peopleCard } from '../cards';
import { msg } from '../reply';
import type { Answer } from './answer';

export const answerMyDelegates: Answer<'myDelegates'> = async (_command, { desk, user }) => {
  const view = await desk.loadDelegationView(user);
  if (view.delegates.length === 0)
    return msg('You have no delegates. To add one in Teams: Settings › Calls › Manage delegates › Add people.');
  return msg(view.whoCanTakeMyCall.summary, peopleCard(`Your delegates (${view.delegates.length})`, view.delegates));
};
