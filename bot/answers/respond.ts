/**
 * The bot's answers: a parsed command and the signed-in user in, a reply out. Framework-free: the
 * teams-ai wiring only turns replies into activities. One answer per intent, in answers/intents/ under
 * the file name its phrasings have in understanding/intents/.
 */
import type { DelegateDesk, SsoUser } from '../../shared';
import type { Command } from '../understanding/parseCommand';
import type { AnswerContext, Answers } from './intents/answer';
import { answerCall } from './intents/call';
import { answerClarify } from './intents/clarify';
import { answerGroupPresence } from './intents/groupPresence';
import { answerHelp } from './intents/help';
import { answerMeetNow } from './intents/meetNow';
import { answerMyDelegates } from './intents/myDelegates';
import { answerMyDelegators } from './intents/myDelegators';
import { answerCancelWatch, answerListWatches, answerNotify } from './intents/notify';
import { answerPermissions } from './intents/permissions';
import { answerPresence } from './intents/presence';
import { answerClearStatus, answerSetStatus } from './intents/status';
import { answerWhoCanTakeMyCall } from './intents/whoCanTakeMyCall';
import type { BotReply } from './reply';
import { explain } from './explain';

export type { BotReply };
export { explain };

const ANSWERS: Answers = {
  help: answerHelp,
  myDelegates: answerMyDelegates,
  myDelegators: answerMyDelegators,
  whoCanTakeMyCall: answerWhoCanTakeMyCall,
  presence: answerPresence,
  groupPresence: answerGroupPresence,
  permissions: answerPermissions,
  clarify: answerClarify,
  call: answerCall,
  meetNow: answerMeetNow,
  setStatus: answerSetStatus,
  clearStatus: answerClearStatus,
  notify: answerNotify,
  listWatches: answerListWatches,
  cancelWatch: answerCancelWatch,
};

/** Answers one command for one user. Every failure becomes a reply a person understands. */
export async function respond(
  command: Command,
  user: SsoUser,
  desk: DelegateDesk,
  opts: Pick<AnswerContext, 'personId' | 'watcher' | 'zone'> = {},
): Promise<BotReply> {
  try {
    return await answer(command, { user, desk, ...opts });
  } catch (e) {
    return explain(e);
  }
}

function answer(command: Command, ctx: AnswerContext): Promise<BotReply> {
  // TypeScript cannot pair a union's intent with its entry; Answers' mapped type guarantees the pairing.
  const handler = ANSWERS[command.intent] as (c: Command, ctx: AnswerContext) => Promise<BotReply>;
  return handler(command, ctx);
}
