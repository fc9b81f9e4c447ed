import { describe, expect, it } from 'vitest';
import { submitted } from './submitted';

const ID = '00000000-0000-4000-8000-000000000002';

describe('card values', () => {
  it.each([
    [
      { verb: 'pickPerson', intent: 'presence', personId: ID, query: 'Ben' },
      { intent: 'presence', name: 'Ben' },
    ],
    [
      { verb: 'pickPerson', intent: 'call', personId: ID, query: 'Ben' },
      { intent: 'call', target: { kind: 'person', name: 'Ben' }, video: false },
    ],
    [
      { verb: 'pickPerson', intent: 'meetNow', personId: ID, query: 'Ben' },
      { intent: 'meetNow', target: { kind: 'person', name: 'Ben' } },
    ],
    [
      { verb: 'pickPerson', intent: 'permissions', personId: ID, query: 'Ben' },
      { intent: 'permissions', target: { kind: 'person', name: 'Ben' } },
    ],
    [
      { verb: 'pickPerson', intent: 'notify', personId: ID, query: 'your delegates', condition: 'back', minutes: 60, reportExpiry: true },
      { intent: 'notify', target: { kind: 'person', name: 'your delegates' }, condition: 'back', durationMinutes: 60, reportExpiry: true },
    ],
    [
      { verb: 'confirmCall', personId: ID, name: 'Ben Assist', video: true },
      { intent: 'call', target: { kind: 'person', name: 'Ben Assist' }, video: true, confirmed: true },
    ],
  ])('%j', (value, command) => expect(submitted(value)).toEqual({ command, personId: ID }));

  it('leaves to the message text what is no card value it knows, or is not well formed', () => {
    for (const value of [
      undefined,
      null,
      'pickPerson',
      [],
      {},
      { verb: 'placeCall', personId: ID, name: 'Ben' },
      { verb: '__proto__', personId: ID },
      { verb: 'toString' },
      { verb: 'pickPerson', intent: 'constructor', personId: ID, query: 'Ben' },
      { verb: 'pickPerson', intent: 'setStatus', personId: ID, query: 'Ben' },
      { verb: 'pickPerson', intent: 'call', personId: 42, query: 'Ben' },
      { verb: 'pickPerson', intent: 'call', personId: '../../me', query: 'Ben' },
      { verb: 'pickPerson', intent: 'call', personId: ID, query: '' },
      { verb: 'pickPerson', intent: 'call', personId: ID, query: 'x'.repeat(201) },
      { verb: 'pickPerson', intent: 'call', personId: ID, query: 'Ben\u0000' },
      { verb: 'pickPerson', intent: 'call', personId: ID, query: { toString: 'Ben' } },
      { verb: 'confirmCall', personId: ID },
      { verb: 'confirmCall', name: 'Ben' },
      { msteams: { type: 'imBack', value: 'help' } },
    ])
      expect(submitted(value), JSON.stringify(value)).toBeUndefined();
  });

  it('drops what a watch may not be: a condition it does not know, too long, not a whole number of minutes', () => {
    for (const [extra, expected] of [
      [{ condition: 'asleep', minutes: 721 }, { condition: 'free' }],
      [{ minutes: 1.5, reportExpiry: 'yes' }, { condition: 'free' }],
      [{ minutes: '90' }, { condition: 'free', durationMinutes: 90 }],
      [{ minutes: -5 }, { condition: 'free' }],
    ] as const)
      expect(submitted({ verb: 'pickPerson', intent: 'notify', personId: ID, query: 'Ben', ...extra })?.command).toEqual({
        intent: 'notify',
        target: { kind: 'person', name: 'Ben' },
        ...expected,
      });
  });

  it('reads only true as video, whatever else is sent', () => {
    for (const video of [1, 'yes', {}, null]) {
      const c = submitted({ verb: 'confirmCall', personId: ID, name: 'Ben', video })?.command;
      expect(c && c.intent === 'call' && c.video, String(video)).toBe(false);
    }
  });
});
