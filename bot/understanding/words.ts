/** Word classes the phrasings share: "me", "delegate", durations, availabilities, and what is not a name. */
import type { StatusAvailability } from './command';
import { fold } from './text';

export const ME = '(?:me|my|mine|i|im)';
export const DELEGATE = '(?:delegates?|assistants?)';

const NOT_A_NAME = new Set([
  'my delegate',
  'my delegates',
  'delegate',
  'delegates',
  'my assistant',
  'my assistants',
  'me',
  'my',
  'him',
  'her',
  'them',
  'someone',
  'anyone',
  'everyone',
  'it',
  'my manager',
  'my managers',
  'you',
]);

export function asName(name: string): string | undefined {
  const n = fold(name).trim();
  if (!n || NOT_A_NAME.has(n) || n.split(' ').length > 4) return undefined;
  return name;
}

export function duration(text: string): number | undefined {
  const m = /\bfor (?:(an?|one|\d+|two|three|half an?) )?(minutes?|mins?|hours?|hrs?|h|m)\b/.exec(text);
  if (!m) return undefined;
  const words: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3 };
  const raw = m[1] ?? 'a';
  const n = raw.startsWith('half') ? 0.5 : (words[raw] ?? Number(raw));
  const unit = m[2]!.startsWith('h') ? 60 : 1;
  return Math.round(n * unit);
}

export const AVAILABILITY_WORDS: Array<[RegExp, StatusAvailability]> = [
  [/\b(?:do not disturb|dnd|dont disturb)\b/, 'DoNotDisturb'],
  [/\b(?:be right back|brb)\b/, 'BeRightBack'],
  [/\b(?:busy|in a call|on a call)\b/, 'Busy'],
  [/\b(?:away|out|afk)\b/, 'Away'],
  [/\b(?:offline|invisible|appear offline)\b/, 'Offline'],
  [/\b(?:available|free|online|back)\b/, 'Available'],
];

export function availabilityIn(text: string): StatusAvailability | undefined {
  return AVAILABILITY_WORDS.find(([re]) => re.test(text))?.[1];
}
