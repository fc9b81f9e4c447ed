/**
 * The bot's understanding on the held-back evaluation set (bot/understanding/corpus/evaluation.json, which
 * the classifier never trains on): accuracy per intent, the confusion pairs, entity accuracy, and the time
 * to classify one message (median) and to train the classifier.
 */
import evaluation from '../bot/understanding/corpus/evaluation.json';
import training from '../bot/understanding/corpus/training.json';
import { classify, train, type TrainingUtterance } from '../bot/understanding/classifier';
import type { Command } from '../bot/understanding/command';
import { parseByRules, parseCommand } from '../bot/understanding/parseCommand';
import { fold } from '../bot/understanding/text';
import { summarise, printTable } from './stats';

const cases = evaluation as Array<{ text: string; command: Command }>;
const trainingMs = Array.from({ length: 5 }, () => train(training as TrainingUtterance[]).trainingMs);

/** Names compared as the matcher compares them: case and accents folded, a possessive without its apostrophe allowed ("Henriettas status"). */
const names = (c: Command): string[] => JSON.stringify(c).match(/"name":"[^"]*"|"names":\[[^\]]*\]/g) ?? [];
const withoutNames = (c: Command) => JSON.stringify(c).replace(/"name":"[^"]*"|"names":\[[^\]]*\]/g, 'N');
const sameName = (got: string, expected: string) => fold(got) === fold(expected) || fold(got) === `${fold(expected)}s`;
function sameEntities(got: Command, expected: Command): boolean {
  if (withoutNames(got) !== withoutNames(expected)) return false;
  const g = names(got).flatMap((s) => [...s.matchAll(/"([^"]*)"/g)].map((m) => m[1]!).filter((x) => x !== 'name' && x !== 'names'));
  const e = names(expected).flatMap((s) => [...s.matchAll(/"([^"]*)"/g)].map((m) => m[1]!).filter((x) => x !== 'name' && x !== 'names'));
  return g.length === e.length && g.every((n, i) => sameName(n, e[i]!));
}
const hasEntities = (c: Command) => Object.keys(c).length > 1 && !(c.intent === 'help');
/** The intent a reading stands for: the relationship's presence is the presence intent's other form. */
const intentOf = (c: Command) => c.intent;

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
  if (intentOf(got) === intentOf(expected)) row.ok++;
  else {
    const pair = `${expected.intent} → ${got.intent}`;
    confusions.set(pair, (confusions.get(pair) ?? 0) + 1);
    misses.push(`${JSON.stringify(text)}: ${JSON.stringify(got)}`);
  }
  perIntent.set(expected.intent, row);
  if (hasEntities(expected)) {
    entityN++;
    if (sameEntities(got, expected)) entityOk++;
    else if (intentOf(got) === intentOf(expected))
      misses.push(`entities ${JSON.stringify(text)}: ${JSON.stringify(got)} (expected ${JSON.stringify(expected)})`);
  }
}
const total = [...perIntent.values()].reduce((a, r) => ({ n: a.n + r.n, ok: a.ok + r.ok }), { n: 0, ok: 0 });
const pct = (ok: number, n: number) => `${((100 * ok) / n).toFixed(1)}%`;

console.log(`corpus: ${(training as unknown[]).length} training utterances, ${cases.length} held-back evaluation utterances`);
console.log(
  `\nintent accuracy: ${pct(total.ok, total.n)} (${total.ok}/${total.n}); answered by the exact rules: ${byRules}/${cases.length}`,
);
console.table(
  Object.fromEntries([...perIntent].sort().map(([intent, r]) => [intent, { n: r.n, correct: r.ok, accuracy: pct(r.ok, r.n) }])),
);
console.log('confusion pairs (expected → understood):');
console.table(Object.fromEntries([...confusions].sort((a, b) => b[1] - a[1]).map(([pair, n]) => [pair, n])));
console.log(`entity accuracy (the whole command equal, names folded): ${pct(entityOk, entityN)} (${entityOk}/${entityN})`);
if (process.argv.includes('--misses')) for (const m of misses) console.log(`  ${m}`);

const samples: number[] = [];
const ruleSamples: number[] = [];
const classifierSamples: number[] = [];
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
