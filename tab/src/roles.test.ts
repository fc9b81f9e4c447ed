import { describe, expect, it } from 'vitest';
import { buildDelegationView } from '../../shared/domain/delegationView';
import { byName, callNeedsConfirmation, listOrder, mayDoFor, rememberLead, rememberedLead, roleOf, verdictFor } from './roles';

const users = [
  { id: 'a', displayName: 'Zoë Ångström', userPrincipalName: 'zoe@t' },
  { id: 'b', displayName: 'ada Lovelace', userPrincipalName: 'ada@t' },
  { id: 'c', displayName: 'Lee Gu', userPrincipalName: 'lee@t' },
];
const p = (id: string, availability: string, activity = availability, ooo = false, message: string | null = null) => ({
  id,
  availability,
  activity,
  outOfOfficeSettings: { isOutOfOffice: ooo, message },
});
const view = (delegates: Array<Record<string, unknown>>, delegators: Array<Record<string, unknown>>, presences = [p('a', 'Available')]) =>
  buildDelegationView({ me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@t' }, delegates, delegators, users, presences });

describe('roles', () => {
  it.each([
    [[], [], 'none'],
    [[{ id: 'a' }], [], 'executive'],
    [[], [{ id: 'c' }], 'assistant'],
    [[{ id: 'a' }], [{ id: 'c' }], 'both'],
  ] as const)('tells the role from the lists (%j, %j → %s)', (delegates, delegators, role) => {
    expect(roleOf(view([...delegates], [...delegators]))).toBe(role);
  });

  it('leads with the role, and with both roles with the list remembered', () => {
    expect(listOrder('assistant', 'delegates')).toEqual(['delegators', 'delegates']);
    expect(listOrder('executive', 'delegators')).toEqual(['delegates', 'delegators']);
    expect(listOrder('both', 'delegates')).toEqual(['delegates', 'delegators']);
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(rememberedLead(storage)).toBe('delegators');
    rememberLead('delegates', storage);
    expect(rememberedLead(storage)).toBe('delegates');
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(rememberedLead(refusing)).toBe('delegators');
    expect(() => rememberLead('delegates', refusing)).not.toThrow();
  });

  it('orders by name whatever the presence, accents and case aside', () => {
    const v = view([{ id: 'a' }, { id: 'b' }, { id: 'c' }], [], [p('a', 'Available'), p('b', 'Busy'), p('c', 'Offline')]);
    expect(byName(v.delegates).map((e) => e.person.displayName)).toEqual(['ada Lovelace', 'Lee Gu', 'Zoë Ångström']);
  });

  it('words an inactive delegation from each side, and what I may do for an executive', () => {
    const v = view(
      [{ id: 'a', isActive: false }],
      [{ id: 'c', isActive: false, allowedActions: { makeCalls: true, pickUpHeldCalls: true } }],
    );
    expect(verdictFor(v.delegates[0]!)).toBe('Your delegation to Zoë is not active, so they do not take your calls now.');
    expect(verdictFor(v.delegators[0]!)).toBe('The delegation from Lee is not active, so you do not take their calls now.');
    expect(mayDoFor(v.delegators[0]!)).toBe('You may make calls and pick up held calls for Lee.');
  });

  it('asks before calling someone presenting, in do not disturb or out of office, not someone busy', () => {
    const v = view(
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      [],
      [p('a', 'Busy', 'Presenting'), p('b', 'DoNotDisturb'), p('c', 'Offline', 'OffWork', true, 'Back Monday')],
    );
    const byId = Object.fromEntries(v.delegates.map((e) => [e.person.id, callNeedsConfirmation(e)]));
    expect(byId).toEqual({ a: 'Zoë is presenting.', b: 'ada does not want to be disturbed.', c: 'Lee is out of office: “Back Monday”' });
    const busy = view([{ id: 'a' }], [], [p('a', 'Busy', 'InAMeeting')]);
    expect(callNeedsConfirmation(busy.delegates[0]!)).toBeNull();
  });
});
