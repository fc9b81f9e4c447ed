/** help: the help card, introduced for why it is shown. */
import type { CommandOf } from '../../understanding/command';
import { helpCard } from '../cards';
import { msg } from '../reply';
import type { Answer } from './answer';

const HELP_INTRO: Record<CommandOf<'help'>['reason'], string> = {
  asked: 'I can tell you who covers your calls and who is free to take one.',
  greeting: 'Hello! I can tell you who covers your calls and who is free to take one.',
  thanks: "You're welcome. Anything else?",
  notUnderstood: "Sorry, I didn't understand that. Here is what I can do.",
};

export const answerHelp: Answer<'help'> = async (command) => msg(HELP_INTRO[command.reason], helpCard());
