/**
 * What a chat message asks for, without a language model: folded, typo-corrected text matched against
 * the phrasings of each intent (./intents), in the table's order. Pure: no bot framework, no Graph.
 */
import type { Command } from './command';
import { greeting, INTENTS } from './intents';
import { prepare, utterance } from './utterance';

export type { CallTarget, Command, MeetTarget, StatusAvailability } from './command';

export function parseCommand(message: string): Command {
  const p = prepare(message);
  if (greeting.test(p.text)) return { intent: 'help', reason: 'greeting' };
  const u = utterance(p, message);
  if (u.text) {
    for (const { patterns, command } of INTENTS) {
      for (const re of patterns) {
        const m = u.exec(re);
        const c = m && command(m, u);
        if (c) return c;
      }
    }
  }
  return { intent: 'help', reason: 'notUnderstood' };
}
