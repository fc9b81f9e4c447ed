/** The shape of an intent's answer: its own Command variant and the asking user in, a reply out. */
import type { DelegateDesk, SsoUser } from '../../../shared';
import type { CommandOf, Intent } from '../../understanding/command';
import type { BotReply } from '../reply';
import type { Watcher } from '../../../shared/watch/watcher';
import type { WatchZone } from '../../../shared/watch/watch';

export interface AnswerContext {
  user: SsoUser;
  desk: DelegateDesk;
  /** The person chosen on an ambiguity card, for the name in the command. */
  personId?: string;
  /** "Tell me when X is free" (absent: the bot cannot message people later, so it says so). */
  watcher?: Watcher;
  /** The user's time zone, from the activity (to word "until 6 pm"). */
  zone?: WatchZone;
}

export type Answer<I extends Intent> = (command: CommandOf<I>, ctx: AnswerContext) => Promise<BotReply>;

/** One answer per intent: a new intent does not compile until it has one. */
export type Answers = { [I in Intent]: Answer<I> };
