import { describe, expect, it } from 'vitest';
import { matchPeople, type Candidate } from './matchPeople';

const people: Candidate[] = [
  { id: '1', displayName: 'Megan Bowen', userPrincipalName: 'megan.bowen@contoso.com', related: true },
  { id: '2', displayName: 'Megan Carter', userPrincipalName: 'megan.carter@contoso.com', related: false },
  { id: '3', displayName: 'Renée Lefèvre', userPrincipalName: 'renee.lefevre@contoso.com', related: false },
  { id: '4', displayName: 'Alex Wilber', userPrincipalName: 'alex.wilber@contoso.com', related: false },
  { id: '5', displayName: 'Alex Darrow', userPrincipalName: 'alex.darrow@contoso.com', related: false },
];
const one = (q: string) => {
  const m = matchPeople(q, people);
  return m.kind === 'one' ? m.person.id : m.kind;
};

describe('matchPeople', () => {
  it.each([
    ['Megan', '1'], // my delegate wins over another Megan
    ['megan carter', '2'],
    ['Bowen', '1'],
    ['RENEE', '3'],
    ['Renée Lefèvre', '3'],
    ['lefevre', '3'],
    ['alex.darrow@contoso.com', '5'],
    ['alex.wilber', '4'],
    ['Alex', 'many'],
    ['Zed', 'none'],
    // Typos, a possessive without its apostrophe, all caps.
    ['Megna Bowen', '1'],
    ['Renee Lefevere', '3'],
    ['Mgn', 'none'], // too short to guess
    ['Wilbr', '4'],
    ['Bowens', '1'],
    ['RENÉES', '3'],
    ['Darow', '5'],
  ])('%s → %s', (q, expected) => expect(one(q)).toBe(expected));

  it('lists the people an ambiguous name may mean', () => {
    const m = matchPeople('alex', people);
    expect(m.kind === 'many' && m.people.map((p) => p.displayName)).toEqual(['Alex Darrow', 'Alex Wilber']);
  });
});
