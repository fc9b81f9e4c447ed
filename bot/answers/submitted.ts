/**
 * What a card's button sends back (Action.Submit's value) as a command: an ambiguity card's choice of
 * person, or the Confirm of a call to someone busy. The value comes from the user's client and may be
 * forged, so each verb's fields are checked (types, lengths, known intents) and anything else is left to
 * the message text. A forged person id gains nothing: answers use it only to choose among the people the
 * name already matches. Framework-free.
 */
import type { WatchCondition } from '../../shared/api';
import type { Command } from '../understanding/command';

export interface Submitted {
  command: Command;
  /** The person chosen on the card, for the name in the command. */
  personId?: string;
}

type Value = Record<string, unknown>;

/** Control characters (below U+0020) are no part of a name a card sent. */
const printable = (v: string) => [...v].every((c) => c.charCodeAt(0) >= 0x20);
const text = (v: unknown, max = 200): string | undefined =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= max && printable(v) ? v.trim() : undefined;
/** Entra object ids are GUIDs; other directories' ids stay short and plain. */
const id = (v: unknown): string | undefined => (typeof v === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(v) ? v : undefined);
const flag = (v: unknown): boolean => v === true || v === 'true';
const CONDITIONS: readonly WatchCondition[] = ['free', 'back'];
/** A watch lasts at most 12 hours (shared/watch). */
const minutes = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d{1,4}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 720 ? n : undefined;
};

/** pickPerson: the intents a "which one do you mean" card asks for, and the command each makes of the chosen name. */
const PICKED: Record<string, (name: string, v: Value) => Command> = {
  presence: (name) => ({ intent: 'presence', name }),
  call: (name, v) => ({ intent: 'call', target: { kind: 'person', name }, video: flag(v.video) }),
  meetNow: (name) => ({ intent: 'meetNow', target: { kind: 'person', name } }),
  permissions: (name) => ({ intent: 'permissions', target: { kind: 'person', name } }),
  notify: (name, v) => {
    const m = minutes(v.minutes);
    return {
      intent: 'notify',
      target: { kind: 'person', name },
      condition: CONDITIONS.find((c) => c === v.condition) ?? 'free',
      ...(m ? { durationMinutes: m } : {}),
      ...(flag(v.reportExpiry) ? { reportExpiry: true } : {}),
    };
  },
};

/** Each verb: the command its value makes, or undefined when the value is not well formed. */
const VERBS: Record<string, (v: Value) => Submitted | undefined> = {
  pickPerson(v) {
    const personId = id(v.personId);
    const name = text(v.query);
    const make = typeof v.intent === 'string' && Object.hasOwn(PICKED, v.intent) ? PICKED[v.intent] : undefined;
    return personId && name && make ? { command: make(name, v), personId } : undefined;
  },
  /** "Call anyway" on the warning that someone is presenting, in Do not disturb or out of office. */
  confirmCall(v) {
    const personId = id(v.personId);
    const name = text(v.name);
    if (!personId || !name) return undefined;
    return { command: { intent: 'call', target: { kind: 'person', name }, video: flag(v.video), confirmed: true }, personId };
  },
};

/** The command a card's value asks for; undefined: no card value we know (parse the text instead). */
export function submitted(value: unknown): Submitted | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Value;
  const verb = typeof v.verb === 'string' && Object.hasOwn(VERBS, v.verb) ? VERBS[v.verb] : undefined;
  return verb?.(v);
}
