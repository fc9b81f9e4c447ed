/**
 * The intent classifier: NLP.js's neural network (@nlpjs/neural, the one @nlpjs/nlp trains), trained in
 * process from corpus/training.json the first time it is needed (about a tenth of a second), then
 * synchronous. Features are the stems of the folded, typo-corrected words and their pairs; a word the
 * corpus never uses outside a name counts as a name ("xname"), so names neither teach nor mislead it.
 * Pure: no bot framework, no I/O.
 */
import { NeuralNetwork } from '@nlpjs/neural';
import { StemmerEn, StopwordsEn } from '@nlpjs/lang-en-min';
import training from './corpus/training.json';
import { distance } from 'fastest-levenshtein';
import { fold } from './text';
import { prepare } from './utterance';

/** The labels the corpus uses: the intents, with "None" for what the bot does not do. */
export type Label =
  | 'myDelegates'
  | 'myDelegators'
  | 'whoCanTakeMyCall'
  | 'presence'
  | 'call'
  | 'meetNow'
  | 'setStatus'
  | 'clearStatus'
  | 'permissions'
  | 'notify'
  | 'listWatches'
  | 'cancelWatch'
  | 'help'
  | 'None';

export interface TrainingUtterance {
  text: string;
  intent: Label;
  /** The names in the text, as written: masked while training. */
  names?: string[];
}

export interface Classification {
  label: Label;
  score: number;
}

const stemmer = new StemmerEn();
const stems = new Map<string, string>();
const stem = (w: string) => {
  let s = stems.get(w);
  if (s === undefined) {
    s = /^\d+$/.test(w) ? 'xnum' : w === 'xname' ? w : stemmer.stem(w);
    stems.set(w, s);
  }
  return s;
};

/** Words that are no name even where the corpus has not used them: NLP.js's English stopwords, and chat words. */
const COMMON = new Set([
  ...Object.keys(new StopwordsEn().dictionary),
  ...'a an the to of for on in at is are am be been was with and or but if so i me my mine you your u ur r we us our it its this that these those there here now then rn pls plz please thanks thx ty ok okay yes no not just still again any some all one who whom whose what whats when where which why how hey hi hello yo um umm hmm uh sorry quick q asap lol haha do does did can could would should will may might he she they him her them someone somebody anyone anybody everyone everybody'.split(
    ' ',
  ),
]);

/** Words that need another after them; and what may close a chat line after the last real word. */
const DANGLING = new Set(['my', 'with', 'an', 'a', 'the', 'to', 'of', 'your', 'and']);
const TRAILING = new Set(['please', 'pls', 'plz', 'now', 'lol', 'thanks', 'thx', 'asap', 'rn', 'ok']);

interface Model {
  network: NeuralNetwork;
  /** Every folded, corrected word the corpus uses outside a name. */
  vocabulary: Set<string>;
  trainingMs: number;
}

let model: Model | undefined;

/** A word of five letters or more one edit (or one swap) from exactly one corpus word: a typo of it ("accss", "plaec"). */
const near = new WeakMap<Set<string>, Map<string, string | undefined>>();
function nearWord(token: string, vocabulary: Set<string>): string | undefined {
  let cache = near.get(vocabulary);
  if (!cache) near.set(vocabulary, (cache = new Map()));
  if (cache.has(token)) return cache.get(token);
  if (cache.size > 10_000) cache.clear();
  const word = nearestWord(token, vocabulary);
  cache.set(token, word);
  return word;
}

function nearestWord(token: string, vocabulary: Set<string>): string | undefined {
  if (token.length < 5) return undefined;
  let found: string | undefined;
  for (const w of vocabulary) {
    if (Math.abs(w.length - token.length) > 1 || w.length < 4) continue;
    const near =
      distance(w, token) === 1 ||
      (w.length === token.length && [...w].sort().join('') === [...token].sort().join('') && distance(w, token) === 2);
    if (near) {
      if (found) return undefined;
      found = w;
    }
  }
  return found;
}

/**
 * A corpus word, a typo of one, or (undefined) a name. A word typed with a capital is never taken for a
 * typo: "Bello" and "Cline" are surnames, "bello" may be "hello".
 */
function known(token: string, vocabulary: Set<string>, typed = token): string | undefined {
  const capitalised = /^\p{Lu}\p{Ll}/u.test(typed);
  // Corrected while the text was prepared ("Bello" to "hello"): a capital says it was a name.
  if (capitalised && token !== fold(typed).replace(/'/g, '') && !vocabulary.has(fold(typed))) return undefined;
  if (vocabulary.has(token) || COMMON.has(token) || /^\d+$/.test(token)) return token;
  return capitalised || typed !== typed.toLowerCase() ? undefined : nearWord(token, vocabulary);
}

/** Words as the classifier sees them: the prepared tokens (typos of corpus words corrected), unknown ones (names) as "xname". */
export function words(message: string, vocabulary: Set<string>): { tokens: string[]; masked: boolean[] } {
  const p = prepare(message);
  const raw = p.text.split(' ');
  const found = raw.map((t, i) => known(t, vocabulary, p.original[i]));
  const tokens = raw.map((t, i) => found[i] ?? t).filter(Boolean);
  const masked = found.map((f) => f === undefined).filter((_, i) => raw[i]);
  return { tokens, masked };
}

function features(tokens: string[]): Record<string, number> {
  const s: string[] = [];
  for (const t of tokens) if (s.at(-1) !== 'xname' || t !== 'xname') s.push(stem(t));
  const f: Record<string, number> = {};
  for (let i = 0; i < s.length; i++) {
    f[s[i]!] = 1;
    if (i > 0) f[`${s[i - 1]}_${s[i]}`] = 1;
  }
  return f;
}

function maskNames(text: string, names: string[] = []): string[] {
  const nameWords = new Set(names.flatMap((n) => prepare(n).text.split(' ')));
  return prepare(text)
    .text.split(' ')
    .filter(Boolean)
    .map((t) => (nameWords.has(t) ? 'xname' : t));
}

/** Trains a model on a corpus (the bench and the tests train on their own; the bot on corpus/training.json). */
export function train(corpus: TrainingUtterance[], settings: { errorThresh?: number; iterations?: number } = {}): Model {
  const started = performance.now();
  const vocabulary = new Set<string>();
  const data = corpus.flatMap((u) => {
    const tokens = maskNames(u.text, u.names);
    for (const t of tokens) if (t !== 'xname') vocabulary.add(t);
    const example = { input: features(tokens), output: { [u.intent]: 1 } };
    if (u.intent !== 'None') return [example];
    // What the bot does not do is mostly words it has never seen, which reach it as names: learn that too.
    const unseen = tokens.map((t) => (t.length >= 4 && !COMMON.has(t) ? 'xname' : t));
    return [example, { input: features(unseen), output: { None: 1 } }];
  });
  const network = new NeuralNetwork({ log: false, errorThresh: 0.0005, ...settings });
  network.train(data);
  return { network, vocabulary, trainingMs: performance.now() - started };
}

/** The bot's model, trained once, on first use (or at start-up, by calling this). */
export function defaultModel(): Model {
  model ??= train(training as TrainingUtterance[]);
  return model;
}

/**
 * The readings of a message, best first, with scores that add up to 1 (NLP.js's normalisation: squared,
 * then divided by their sum). A message with no word the corpus knows is "None" for certain.
 */
export function classify(message: string, m: Model = defaultModel()): Classification[] {
  const { tokens, masked } = words(message, m.vocabulary);
  const known = tokens.filter((_, i) => !masked[i]);
  if (masked.every(Boolean) || known.every((t) => COMMON.has(t) && !m.vocabulary.has(t))) return [{ label: 'None', score: 1 }];
  // A request does not end on a word that needs another after it ("… status my", "call with"): a fragment or a word salad.
  if (DANGLING.has(known.filter((t) => !TRAILING.has(t)).at(-1) ?? '') && masked.filter(Boolean).length === 0)
    return [{ label: 'None', score: 1 }];
  const out = m.network.run(features(tokens.map((t, i) => (masked[i] ? 'xname' : t)))) ?? {};
  const squared = Object.entries(out).map(([label, s]) => ({ label: label as Label, score: s * s }));
  const total = squared.reduce((a, c) => a + c.score, 0);
  if (total === 0) return [{ label: 'None', score: 1 }];
  return squared.map((c) => ({ label: c.label, score: c.score / total })).sort((a, b) => b.score - a.score);
}

/** The user's words for the names in a message: runs of words the corpus never uses, split at "and" and commas. */
export function namesIn(message: string, m: Model = defaultModel()): string[] {
  const p = prepare(message.replace(/\s*(?:,|&|\+)\s*/g, ' and '));
  const tokens = p.text.split(' ');
  const names: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length) names.push(run.join(' ').replace(/'s$/i, '').replace(/^@/, ''));
    run = [];
  };
  tokens.forEach((t, i) => {
    const isName = t && known(t, m.vocabulary, p.original[i]) === undefined && fold(t) !== 'and';
    if (isName) run.push(p.original[i]!);
    else flush();
  });
  flush();
  return names.filter((n) => n.split(' ').length <= 4);
}
