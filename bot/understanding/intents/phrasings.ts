/** One entry of the intent table: patterns for one intent, and how a match becomes that intent's Command. */
import type { Command, CommandOf, Intent } from '../command';
import type { Utterance } from '../utterance';

export interface Phrasings<I extends Intent> {
  /** The intent built; its answer is in answers/intents/ under the same file name. */
  intent: I;
  /** Tried in order against the utterance's text. */
  patterns: RegExp[];
  /** The command a match asks for; undefined lets the next pattern (and entry) try, as "call them" does. */
  command(match: RegExpExecArray, u: Utterance): CommandOf<I> | undefined;
}

/** Any intent's entry (Phrasings<Intent> would let an entry build another intent's Command). */
export type AnyPhrasings = { [I in Intent]: Phrasings<I> }[Intent];

/** Infers I, so an entry can only build its own intent's Command. */
export const phrasings = <I extends Intent>(p: Phrasings<I>): Phrasings<I> => p;

/** For phrasings whose match carries nothing more than the intent. */
export const always =
  <C extends Command>(command: C) =>
  (): C => ({ ...command });
