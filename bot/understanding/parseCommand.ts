/**
 * What a chat message asks for, without a language model: exact rules first (folded, typo-corrected text
 * matched against the phrasings of each intent in ./intents, in the table's order), then NLP.js's intent
 * classifier trained from ./corpus for the rest, with entities taken from the message (./understand).
 * Pure: no bot framework, no Graph.
 */
import type { Command } from './command';
import { FALLBACK, greeting, INTENTS } from './intents';
import type { AnyPhrasings } from './intents/phrasings';
import { defaultModel } from './classifier';
import { understand } from './understand';
import { prepare, utterance, type Utterance } from './utterance';

export type { CallTarget, Command, MeetTarget, PermissionsTarget, Relation, StatusAvailability } from './command';

function firstRule(table: AnyPhrasings[], u: Utterance): Command | undefined {
  for (const { patterns, command } of table) {
    for (const re of patterns) {
      const m = u.exec(re);
      const c = m && command(m, u);
      if (c) return c;
    }
  }
  return undefined;
}

/** The exact rules alone: what the table understands, or undefined. */
export function parseByRules(message: string): Command | undefined {
  const p = prepare(message);
  if (greeting.test(p.text)) return { intent: 'help', reason: 'greeting' };
  const u = utterance(p, message);
  return u.text ? firstRule(INTENTS, u) : undefined;
}

// Trained at start-up, after the importing module has loaded: the first message does not wait for it.
setImmediate(() => defaultModel()).unref();

export function parseCommand(message: string): Command {
  const ruled = parseByRules(message);
  if (ruled) return ruled;
  const p = prepare(message);
  const u = utterance(p, message);
  if (!u.text || message.length > 500) return { intent: 'help', reason: 'notUnderstood' };
  const understood = understand(message, u.text);
  if (understood.intent === 'help' && understood.reason === 'notUnderstood') return firstRule(FALLBACK, u) ?? understood;
  return understood;
}
