/** Word classes the phrasings share: "me", "delegate", durations, availabilities, and what is not a name. */
import type { Relation, StatusAvailability } from './command';
import { StopwordsEn } from '@nlpjs/lang-en-min';
import { correct, fold } from './text';

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
  'he',
  'she',
  'they',
  'this person',
  'that person',
  'somebody',
  'anybody',
  'everybody',
  'someone',
  'anyone',
  'everyone',
  'it',
  'my manager',
  'my managers',
  'you',
]);

const PRONOUNS = new Set(['i', 'im', 'me', 'my', 'mine', 'myself', 'you', 'your', 'we', 'our', 'us']);

/** Small words a name never starts or ends with ("ring up Grady", "is Grady still in a meeting"): NLP.js's English stopwords. */
const EDGE_WORDS = new Set(Object.keys(new StopwordsEn().dictionary).filter((w) => w.length > 1 && !PRONOUNS.has(w)));

/** Articles, prepositions and conjunctions: alone, never a name ("call with the"); unlike other stopwords ("Will"). */
const GRAMMAR = new Set(['the', 'a', 'an', 'with', 'to', 'of', 'for', 'on', 'in', 'at', 'and', 'or', 'by', 'from']);

/** A name without the small words a capture may have around it. */
function trimmed(name: string): string {
  const words = name.trim().split(/\s+/);
  while (words.length > 1 && EDGE_WORDS.has(fold(words[0]!))) words.shift();
  while (words.length > 1 && EDGE_WORDS.has(fold(words.at(-1)!))) words.pop();
  return words.join(' ');
}

export function asName(raw: string): string | undefined {
  const name = trimmed(raw);
  const n = fold(name).trim();
  if (!n || NOT_A_NAME.has(n) || GRAMMAR.has(n) || n.split(' ').length > 4 || relationIn(n)) return undefined;
  // "get rid of my", "what can I": a phrase about the user is no one's name.
  if (n.split(' ').some((w) => PRONOUNS.has(w))) return undefined;
  return name;
}

/** Other words for the people who cover for the user: "my backup", "my PA", "whoever is covering for me". */
const DELEGATES_RE =
  /\b(?:(?:my|the|of my|any|all my) (?:new |usual |main |other )?(?:delegates?|delegtes?|assistants?|backups?|back ups?|deputy|deputies|pa|ea|stand ?ins?|team)|delegates? of mine|whoever (?:is |s )?cover(?:s|ing)? (?:for )?me|(?:people|person|ones?) (?:who )?cover(?:s|ing)? (?:for )?me)\b/;
/** Other words for the people the user covers for: "my boss", "my exec", "the people I cover for". */
const DELEGATORS_RE =
  /\b(?:(?:my|the|of my|any|all my) (?:big |new |main |other )?(?:boss(?:es|s)?|execs?|executives?|managers?|delegators?|principals?)|(?:people|person|ones?|those|execs?|executives?) i (?:cover|support|assist|work|answer|take calls|pick up|back up|am a delegate))\b/;

/** Which of the user's relationships a phrase names, if any ("is my boss free" → myDelegators). */
export function relationIn(text: string): Relation | undefined {
  const t = fold(text).split(/\s+/).map(correct).join(' ');
  if (DELEGATORS_RE.test(t)) return 'myDelegators';
  if (DELEGATES_RE.test(t)) return 'myDelegates';
  return undefined;
}

/** Whom a captured phrase names: a relationship, one person, or several ("Megan and Alex", "Megan, Alex"). */
export type Whom = { kind: Relation } | { kind: 'person'; name: string } | { kind: 'people'; names: string[] };

export function whom(phrase: string): Whom | undefined {
  const relation = relationIn(phrase);
  if (relation) return { kind: relation };
  const names = phrase
    .split(/\s*(?:,|&|\+|\band\b)\s*/i)
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length > 1) {
    const valid = names.map(asName);
    return valid.every((n): n is string => !!n) ? { kind: 'people', names: valid } : undefined;
  }
  const name = asName(phrase);
  return name ? { kind: 'person', name } : undefined;
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

const CLOSING_WORDS = ['please', 'pls', 'plz', 'thanks', 'thx', 'thank you'];
const isClosing = (c: string) => /[\s?!.]/.test(c);

/** A status message without what closes a chat line ("?!", "pls"), its own punctuation kept. Linear: no regular expression backtracks over it. */
export function withoutChatEnding(text: string): string {
  let s = text;
  for (let before = ''; before !== s;) {
    before = s;
    let end = s.length;
    while (end > 0 && isClosing(s[end - 1]!)) end--;
    s = s.slice(0, end);
    const word = CLOSING_WORDS.find((w) => s.toLowerCase().endsWith(w) && /\s/.test(s[s.length - w.length - 1] ?? ''));
    if (word) s = s.slice(0, s.length - word.length);
  }
  return s;
}
