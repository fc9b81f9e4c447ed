/** A message made ready for the phrasings: folded, corrected text to match, and a way back to the user's own words. */
import { correct, fold, tokenize } from './text';
import { asName, whom, type Whom } from './words';

export interface Prepared {
  /** Folded, corrected tokens joined by single spaces: what patterns match. */
  text: string;
  /** The original tokens (case and accents kept), index-aligned with text's tokens. */
  original: string[];
}

export function prepare(message: string): Prepared {
  const original = tokenize(message);
  const tokens = original.map((t) => correct(fold(t).replace(/'/g, '')));
  return { text: tokens.join(' '), original };
}

/** Maps a capture group back to the user's own spelling of those words. */
export function span(p: Prepared, match: RegExpExecArray, group: number): string {
  const value = match[group];
  if (value === undefined) return '';
  // Where the group itself starts (the 'd' flag's indices): its words may also occur earlier in the match,
  // as "al" does in "call al".
  const start = match.indices?.[group]?.[0] ?? match.index + match[0].indexOf(value);
  const first = p.text.slice(0, start).split(' ').length - 1;
  const count = value.trim().split(' ').length;
  return p.original
    .slice(first, first + count)
    .join(' ')
    .replace(/'s$/i, '')
    .replace(/^@/, '')
    .trim();
}

const indexed = new WeakMap<RegExp, RegExp>();
/** The same pattern with the 'd' flag, so a match knows where each group starts. */
function withIndices(re: RegExp): RegExp {
  let r = indexed.get(re);
  if (!r) {
    r = re.flags.includes('d') ? re : new RegExp(re.source, `${re.flags}d`);
    indexed.set(re, r);
  }
  return r;
}

const FILLER =
  /^(?:please |hey |hi |ok |okay |so |um |umm |uh |sorry |quick q |can you |could you |would you |will you |pls |bot )+|(?: please| pls| thanks| thank you| now| right now| today| asap| for me| again)+$/;

/** What a phrasing's pattern is tried on, and what its command is built from. */
export interface Utterance {
  /** The message as typed, punctuation included: what a status message quotes. */
  message: string;
  /** The prepared text without filler ("please", "can you", "thanks"): what patterns match. */
  text: string;
  /** Matches the text; indices refer to the prepared text, so span() finds the user's words. */
  exec(re: RegExp): RegExpExecArray | null;
  /** A capture group in the user's own spelling. */
  span(match: RegExpExecArray, group: number): string;
  /** A capture group as a person's name; undefined when it names no one ("my delegate", "them"). */
  name(match: RegExpExecArray, group: number): string | undefined;
  /** A capture group as whom it names: a relationship ("my boss"), a person, or several ("Megan, Alex and Lee"). */
  whom(match: RegExpExecArray, group: number): Whom | undefined;
}

/** The message as typed from the first to the last word of a span, so commas between names survive. */
export function typedSpan(p: Prepared, message: string, first: number, count: number): string {
  let at = 0;
  let start = -1;
  let end = -1;
  for (let i = 0; i < first + count && i < p.original.length; i++) {
    const found = message.indexOf(p.original[i]!, at);
    if (found < 0) return p.original.slice(first, first + count).join(' ');
    if (i === first) start = found;
    at = found + p.original[i]!.length;
    end = at;
  }
  return start < 0 ? '' : message.slice(start, end);
}

function tokenRange(p: Prepared, match: RegExpExecArray, group: number): [number, number] | undefined {
  const value = match[group];
  if (value === undefined) return undefined;
  const start = match.indices?.[group]?.[0] ?? match.index + match[0].indexOf(value);
  return [p.text.slice(0, start).split(' ').length - 1, value.trim().split(' ').length];
}

export function utterance(p: Prepared, message: string): Utterance {
  const text = p.text.replace(FILLER, '').replace(FILLER, '').trim();
  // Index offsets must refer to p.text; re-base by the removed prefix.
  const offset = p.text.indexOf(text);
  const exec = (re: RegExp): RegExpExecArray | null => {
    const m = withIndices(re).exec(text);
    if (m) {
      m.index += offset;
      if (m.indices) for (const pair of m.indices) if (pair) pair.splice(0, 2, pair[0] + offset, pair[1] + offset);
    }
    return m;
  };
  return {
    message,
    text,
    exec,
    span: (m, g) => span(p, m, g),
    name: (m, g) => asName(span(p, m, g)),
    whom(m, g) {
      const range = tokenRange(p, m, g);
      if (!range) return undefined;
      const typed = typedSpan(p, message, range[0], range[1])
        .replace(/\s+/g, ' ')
        .replace(/'s\b/gi, '')
        .replace(/(^|\s)@/g, '$1');
      return whom(typed.includes(',') || typed.includes('&') ? typed : span(p, m, g));
    },
  };
}
