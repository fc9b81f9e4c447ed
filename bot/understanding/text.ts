/** Text folding for command understanding: case, accents, punctuation and small typos. */
import { distance } from 'fastest-levenshtein';

/** "Renée" → "renee"; also folds ligatures and letters NFD does not split (ø, ł, ß...). */
export function foldAccents(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[øØ]/g, (c) => (c === 'ø' ? 'o' : 'O'))
    .replace(/[łŁ]/g, (c) => (c === 'ł' ? 'l' : 'L'))
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'AE'))
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'));
}

export function fold(s: string): string {
  return foldAccents(s).toLowerCase();
}

/**
 * Splits a message into tokens, keeping what a name or UPN may contain (letters, digits, ' - . @ _),
 * and dropping a leading bot mention and trailing sentence punctuation.
 */
export function tokenize(text: string): string[] {
  return text
    .replace(/<at>.*?<\/at>/gi, ' ')
    .replace(/[’‘`´]/g, "'")
    .replace(/[^\p{L}\p{N}'@._+-]+/gu, ' ')
    .split(/\s+/)
    .map((t) => t.replace(/^[.'_-]+|[.'_-]+$/g, (m) => (m === "'" ? '' : '')).replace(/[.]+$/, ''))
    .filter(Boolean);
}

/** Words the parser keys on; close misspellings of these are corrected before matching. */
const VOCABULARY = [
  'delegate',
  'delegates',
  'delegator',
  'delegators',
  'available',
  'availability',
  'status',
  'presence',
  'handles',
  'answer',
  'answers',
  'calls',
  'call',
  'meeting',
  'meet',
  'video',
  'start',
  'clear',
  'reset',
  'busy',
  'disturb',
  'away',
  'offline',
  'online',
  'right',
  'back',
  'help',
  'hello',
  'thanks',
  'thank',
  'where',
  'whose',
  'cover',
  'covers',
  'assistant',
  'assistants',
  'manager',
  'managers',
  'reachable',
  'someone',
  'anyone',
  'somebody',
  'anybody',
  'take',
  'phone',
  'ring',
  'minutes',
  'hours',
  'hour',
  'please',
  'commands',
  'today',
  'free',
  'permissions',
  'permission',
  'allowed',
  'permitted',
  'behalf',
  'meeting',
  'executive',
  'executives',
  'backup',
  'covering',
  'message',
  'remove',
  'delete',
  'status',
  'could',
  'rights',
];

/** Common words that sit one edit from a keyword ("there" ~ "where") and must stay as they are. */
const KEEP = new Set([
  'there',
  'their',
  'these',
  'those',
  'three',
  'other',
  'about',
  'after',
  'could',
  'would',
  'should',
  'which',
  'while',
  'thing',
  'think',
  'start',
  'stare',
  'share',
  'whats',
  'wheres',
  'theres',
  'heres',
  'sales',
  'later',
  'meets',
  'calls',
  'halls',
  'balls',
  'stats',
  'state',
  'statue',
  'staff',
]);

/** Chat spelling, word for word (so the user's words stay aligned with the corrected ones). */
const CHAT: Record<string, string> = {
  u: 'you',
  r: 'are',
  ur: 'your',
  w: 'with',
  pls: 'please',
  plz: 'please',
  thx: 'thanks',
  rn: 'now',
  wanna: 'want',
  gonna: 'going',
  abt: 'about',
  msg: 'message',
};

/** One swap of neighbouring letters ("celar" for "clear"), which Levenshtein counts as two edits. */
function swapped(token: string, word: string): boolean {
  if (token.length !== word.length) return false;
  const diff = [...token].flatMap((c, i) => (c === word[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && token[diff[0]!] === word[diff[1]!] && token[diff[1]!] === word[diff[0]!];
}

const corrected = new Map<string, string>();

/** Corrects a folded token to a vocabulary word when it is one or two edits away, and chat spelling to words. */
export function correct(token: string): string {
  let c = corrected.get(token);
  if (c === undefined) {
    c = correctOnce(token);
    if (corrected.size > 10_000) corrected.clear();
    corrected.set(token, c);
  }
  return c;
}

function correctOnce(token: string): string {
  const chat = CHAT[token];
  if (chat) return chat;
  if (token.length < 5 || VOCABULARY.includes(token) || KEEP.has(token)) return token;
  const swap = VOCABULARY.filter((w) => swapped(token, w));
  if (swap.length === 1) return swap[0]!;
  const limit = token.length >= 8 ? 2 : 1;
  const scored = VOCABULARY.map((word) => ({ word, d: distance(token, word) })).filter((x) => x.d <= limit);
  if (scored.length === 0) return token;
  const min = Math.min(...scored.map((x) => x.d));
  const best = [...new Set(scored.filter((x) => x.d === min).map((x) => x.word))];
  // An ambiguous correction is no correction.
  return best.length === 1 ? best[0]! : token;
}
