/**
 * Which person a name means: first name, full name, surname or UPN, ignoring case and accents, people
 * in my delegation relationships first; then, for a name that matches no one so, a possessive without its
 * apostrophe ("Megans") and small typos ("Megna", "Lefevere"). Pure.
 */
import { distance } from 'fastest-levenshtein';
import { fold } from '../understanding/text';

export interface Candidate {
  id: string;
  displayName: string;
  userPrincipalName: string | null;
  /** True for my delegates and delegators. */
  related: boolean;
}

export type Match<T extends Candidate> = { kind: 'one'; person: T } | { kind: 'many'; people: T[] } | { kind: 'none' };

function score(query: string, c: Candidate): number {
  const q = fold(query).trim().replace(/\s+/g, ' ');
  const name = fold(c.displayName);
  const parts = name.split(' ');
  const upn = fold(c.userPrincipalName ?? '');
  let s = 0;
  if (q === name || (upn && q === upn)) s = 100;
  else if (upn && q === upn.split('@')[0])
    s = 80; // an alias is as good as a first name, no better
  else if (q === parts[0]) s = 80;
  else if (q === parts.slice(1).join(' ') || q === parts.at(-1)) s = 70;
  else if (q.length >= 3 && name.startsWith(q)) s = 50;
  else if (q.length >= 3 && parts.some((p) => p.startsWith(q))) s = 40;
  return s === 0 ? 0 : s + (c.related ? 10 : 0);
}

/** One edit for a word of four letters or more, two from eight; a transposition is one edit. */
const close = (a: string, b: string) => {
  if (a.length < 4 || b.length < 4) return false;
  const d = distance(a, b);
  const limit = Math.min(a.length, b.length) >= 8 ? 2 : 1;
  if (d <= limit) return true;
  return a.length === b.length && d === 2 && [...a].sort().join('') === [...b].sort().join('');
};

function fuzzyScore(query: string, c: Candidate): number {
  const q = fold(query).trim().replace(/\s+/g, ' ');
  const name = fold(c.displayName);
  const parts = name.split(' ');
  const qParts = q.split(' ');
  let s = 0;
  if (qParts.length === parts.length && qParts.every((w, i) => w === parts[i] || close(w, parts[i]!))) s = 30;
  else if (qParts.length === 1 && close(q, parts[0]!)) s = 25;
  else if (qParts.length === 1 && parts.slice(1).some((p) => close(q, p))) s = 20;
  return s === 0 ? 0 : s + (c.related ? 10 : 0);
}

function best<T extends Candidate>(scored: Array<{ c: T; s: number }>): Match<T> {
  const found = scored.filter((x) => x.s > 0);
  if (found.length === 0) return { kind: 'none' };
  const top = Math.max(...found.map((x) => x.s));
  const people = found.filter((x) => x.s === top).map((x) => x.c);
  return people.length === 1
    ? { kind: 'one', person: people[0]! }
    : { kind: 'many', people: people.sort((a, b) => a.displayName.localeCompare(b.displayName)) };
}

export function matchPeople<T extends Candidate>(query: string, candidates: T[]): Match<T> {
  const unique = [...new Map(candidates.map((c) => [c.id, c])).values()];
  const exact = best(unique.map((c) => ({ c, s: score(query, c) })));
  if (exact.kind !== 'none') return exact;
  // "Megans status": the possessive without its apostrophe.
  const q = query.trim();
  if (/[^s]s$/i.test(q) && q.length > 3) {
    const possessive = best(unique.map((c) => ({ c, s: score(q.slice(0, -1), c) })));
    if (possessive.kind !== 'none') return possessive;
  }
  return best(unique.map((c) => ({ c, s: fuzzyScore(query, c) })));
}
