/**
 * Which person a name means: first name, full name, surname or UPN, ignoring case and accents, people
 * in my delegation relationships first. Pure.
 */
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

export function matchPeople<T extends Candidate>(query: string, candidates: T[]): Match<T> {
  const unique = [...new Map(candidates.map((c) => [c.id, c])).values()];
  const scored = unique.map((c) => ({ c, s: score(query, c) })).filter((x) => x.s > 0);
  if (scored.length === 0) return { kind: 'none' };
  const best = Math.max(...scored.map((x) => x.s));
  const top = scored.filter((x) => x.s === best).map((x) => x.c);
  return top.length === 1
    ? { kind: 'one', person: top[0]! }
    : { kind: 'many', people: top.sort((a, b) => a.displayName.localeCompare(b.displayName)) };
}
