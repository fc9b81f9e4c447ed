/**
 * The bot's understanding, scored on two sets the classifier never trains on: the development set
 * (bot/understanding/corpus/evaluation.json, read while tuning) and the fresh set (evaluation-fresh.json,
 * written before it was ever scored and never tuned on). For each: accuracy per intent, the confusion
 * pairs, entity accuracy. Then how much random chat fuzz the classifier acts on, and the time to classify
 * one message (median) and to train the classifier. `--misses` lists the development set's misses only
 * (the fresh set's stay unread: `--fresh-misses` exists for the final report, not for tuning).
 */
import development from '../bot/understanding/corpus/evaluation.json';
import fresh from '../bot/understanding/corpus/evaluation-fresh.json';
import training from '../bot/understanding/corpus/training.json';
import { classify, train, type TrainingUtterance } from '../bot/understanding/classifier';
import type { Command } from '../bot/understanding/command';
import { parseByRules, parseCommand } from '../bot/understanding/parseCommand';
import { fold } from '../bot/understanding/text';
import { seeded } from '../tests/support/botChat';
import { randomInput, WORDS } from '../tests/support/chatFuzz';
import { summarise, printTable } from './stats';

type Case = { text: string; command: Command };
const trainingMs = Array.from({ length: 5 }, () => train(training as TrainingUtterance[]).trainingMs);

/** Names compared as the matcher compares them: case and accents folded, a possessive without its apostrophe allowed ("Henriettas status"). */
const names = (c: Command): string[] => JSON.stringify(c).match(/"name":"[^"]*"|"names":\[[^\]]*\]/g) ?? [];
const withoutNames = (c: Command) => JSON.stringify(c).replace(/"name":"[^"]*"|"names":\[[^\]]*\]/g, 'N');
const sameName = (got: string, expected: string) => fold(got) === fold(expected) || fold(got) === `${fold(expected)}s`;
const valuesOf = (c: Command) =>
  names(c).flatMap((s) => [...s.matchAll(/"([^"]*)"/g)].map((m) => m[1]!).filter((x) => x !== 'name' && x !== 'names'));
function sameEntities(got: Command, expected: Command): boolean {
  if (withoutNames(got) !== withoutNames(expected)) return false;
  const g = valuesOf(got);
  const e = valuesOf(expected);
  return g.length === e.length && g.every((n, i) => sameName(n, e[i]!));
}
const hasEntities = (c: Command) => Object.keys(c).length > 1 && !(c.intent === 'help');
const pct = (ok: number, n: number) => `${((100 * ok) / n).toFixed(1)}%`;

function score(title: string, cases: Case[], showMisses: boolean): void {
  const perIntent = new Map<string, { n: number; ok: number }>();
  const confusions = new Map<string, number>();
  let entityN = 0;
  let entityOk = 0;
  let byRules = 0;
  const misses: string[] = [];
  for (const { text, command: expected } of cases) {
    const got = parseCommand(text);
    if (parseByRules(text)) byRules++;
    const row = perIntent.get(expected.intent) ?? { n: 0, ok: 0 };
    row.n++;
    if (got.intent === expected.intent) row.ok++;
    else {
      const pair = `${expected.intent} → ${got.intent}`;
      confusions.set(pair, (confusions.get(pair) ?? 0) + 1);
      misses.push(`${JSON.stringify(text)}: ${JSON.stringify(got)}`);
    }
    perIntent.set(expected.intent, row);
    if (hasEntities(expected)) {
      entityN++;
      if (sameEntities(got, expected)) entityOk++;
      else if (got.intent === expected.intent)
        misses.push(`entities ${JSON.stringify(text)}: ${JSON.stringify(got)} (expected ${JSON.stringify(expected)})`);
    }
  }
  const total = [...perIntent.values()].reduce((a, r) => ({ n: a.n + r.n, ok: a.ok + r.ok }), { n: 0, ok: 0 });
  console.log(`\n### ${title}: ${cases.length} utterances`);
  console.log(
    `intent accuracy: ${pct(total.ok, total.n)} (${total.ok}/${total.n}); answered by the exact rules: ${byRules}/${cases.length}`,
  );
  console.table(
    Object.fromEntries([...perIntent].sort().map(([intent, r]) => [intent, { n: r.n, correct: r.ok, accuracy: pct(r.ok, r.n) }])),
  );
  console.log('confusion pairs (expected → understood):');
  console.table(Object.fromEntries([...confusions].sort((a, b) => b[1] - a[1]).map(([pair, n]) => [pair, n])));
  console.log(`entity accuracy (the whole command equal, names folded): ${pct(entityOk, entityN)} (${entityOk}/${entityN})`);
  if (showMisses) for (const m of misses) console.log(`  ${m}`);
}

console.log(`corpus: ${(training as unknown[]).length} training utterances`);
score('development set (evaluation.json, read while tuning)', development as Case[], process.argv.includes('--misses'));
// --dev-only while tuning: the fresh set is scored only for the report, so nothing is tuned on its figures.
if (!process.argv.includes('--dev-only'))
  score('fresh set (evaluation-fresh.json, never tuned on)', fresh as Case[], process.argv.includes('--fresh-misses'));

/**
 * Fuzz: what share of random messages no rule understood the classifier acts on (an intent other than help),
 * asks about (a clarifying question), or leaves to help. Word salad is made of the bot's own words, so some
 * of it is a fair request ("call ben pls"); the other kinds (hostile pieces, random code points, words
 * the bot does not use) should all be left to help.
 */
const FOREIGN = 'banana quarterly invoice tomorrow weather seven purple laptop garden river coffee ticket printer budget holiday'.split(
  ' ',
);
const kinds: Record<string, (r: () => number) => string> = {
  'chat fuzz (tests/support/chatFuzz)': randomInput,
  "word salad of the bot's words": (r) =>
    Array.from({ length: 2 + Math.floor(r() * 6) }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' '),
  'words the bot does not use': (r) =>
    Array.from({ length: 2 + Math.floor(r() * 6) }, () => FOREIGN[Math.floor(r() * FOREIGN.length)]).join(' '),
};
const fuzzRows: Record<string, Record<string, string | number>> = {};
for (const [kind, make] of Object.entries(kinds)) {
  const random = seeded(15);
  let n = 0;
  let acted = 0;
  let asked = 0;
  for (let i = 0; i < 2000; i++) {
    const text = make(random);
    if (parseByRules(text)) continue;
    n++;
    const c = parseCommand(text);
    if (c.intent === 'clarify') asked++;
    else if (c.intent !== 'help') acted++;
  }
  fuzzRows[kind] = {
    'no rule understood': n,
    'classifier acts': pct(acted, n),
    'asks (clarify)': pct(asked, n),
    'left to help': pct(n - acted - asked, n),
  };
}
console.log('\n### random fuzz the rules did not understand (2,000 messages per kind)');
console.table(fuzzRows);

const samples: number[] = [];
const ruleSamples: number[] = [];
const classifierSamples: number[] = [];
const cases = [...(development as Case[]), ...(fresh as Case[])];
const unruled = cases.filter(({ text }) => !parseByRules(text));
for (let round = 0; round < 5; round++)
  for (const { text } of unruled) {
    const t = performance.now();
    classify(text);
    classifierSamples.push(performance.now() - t);
  }
for (let round = 0; round < 5; round++)
  for (const { text } of cases) {
    let t = performance.now();
    parseCommand(text);
    samples.push(performance.now() - t);
    t = performance.now();
    parseByRules(text);
    ruleSamples.push(performance.now() - t);
  }
printTable([
  summarise('parseCommand (rules, then the classifier), per message', samples),
  summarise('the exact rules alone, per message', ruleSamples),
  summarise(`the classifier alone, per message no rule understood (${unruled.length})`, classifierSamples),
  summarise('training the classifier from corpus/training.json', trainingMs),
]);
