import { describe, expect, it } from 'vitest';
import { conditionMet, describeEnd, describeUntil, offsetMinutes, watchUntil, MAX_WATCH_MINUTES } from './watch';
import type { PresenceView } from '../domain/delegationView';

const presence = (availability: string): PresenceView => ({
  availability,
  activity: availability,
  description: availability,
  statusMessage: null,
  outOfOffice: { isOutOfOffice: false, message: null },
  workLocation: null,
});

describe('conditionMet', () => {
  it.each([
    ['free', 'Available', true],
    ['free', 'AvailableIdle', true],
    ['free', 'Busy', false],
    ['free', 'Away', false],
    ['back', 'Busy', true],
    ['back', 'DoNotDisturb', true],
    ['back', 'Available', true],
    ['back', 'Away', false],
    ['back', 'BeRightBack', false],
    ['back', 'Offline', false],
    ['back', 'PresenceUnknown', false],
  ] as const)('%s with %s: %s', (condition, availability, met) => {
    expect(conditionMet(condition, presence(availability))).toBe(met);
  });
  it('unknown presence never meets a watch', () => {
    expect(conditionMet('free', null)).toBe(false);
    expect(conditionMet('back', undefined)).toBe(false);
  });
});

describe('watchUntil', () => {
  // 2026-06-01 10:00 UTC = 11:00 in London (BST), 06:00 in New York (EDT).
  const now = Date.parse('2026-06-01T10:00:00Z');
  it('asked minutes, capped at 12 hours', () => {
    expect(watchUntil(now, 60, undefined) - now).toBe(3_600_000);
    expect(watchUntil(now, 10_000, undefined) - now).toBe(MAX_WATCH_MINUTES * 60_000);
  });
  it('by default to 6 pm where the watcher is, with daylight saving', () => {
    expect(new Date(watchUntil(now, undefined, { timeZone: 'Europe/London' })).toISOString()).toBe('2026-06-01T17:00:00.000Z');
    expect(new Date(watchUntil(now, undefined, { offsetMinutes: 60 })).toISOString()).toBe('2026-06-01T17:00:00.000Z');
    // 6 pm in New York is 12 h away at 06:00: the cap and the end of the day meet.
    expect(new Date(watchUntil(now, undefined, { timeZone: 'America/New_York' })).toISOString()).toBe('2026-06-01T22:00:00.000Z');
  });
  it('asked in the evening: 12 hours (the morning); no zone known: 8 hours', () => {
    const evening = Date.parse('2026-06-01T17:45:00Z'); // 18:45 in London
    expect(watchUntil(evening, undefined, { timeZone: 'Europe/London' }) - evening).toBe(12 * 3_600_000);
    expect(watchUntil(now, undefined, undefined) - now).toBe(8 * 3_600_000);
    expect(watchUntil(now, undefined, { timeZone: 'Not/AZone' }) - now).toBe(8 * 3_600_000);
  });
});

describe('words', () => {
  const now = Date.parse('2026-06-01T10:00:00Z');
  it('until a time in the watcher’s zone, or for a while', () => {
    expect(describeUntil(Date.parse('2026-06-01T17:00:00Z'), now, { timeZone: 'Europe/London' })).toBe('until 6:00 PM');
    expect(describeUntil(Date.parse('2026-06-01T22:00:00Z'), now, { offsetMinutes: 300 })).toBe('until 3:00 AM tomorrow');
    expect(describeUntil(now + 3_600_000, now, undefined)).toBe('for the next 60 minutes');
    expect(describeUntil(now + 8 * 3_600_000, now, undefined)).toBe('for the next 8 hours');
    expect(describeEnd(Date.parse('2026-06-01T17:00:00Z'), { timeZone: 'Europe/London' })).toBe("it's past 6:00 PM");
    expect(describeEnd(now, undefined)).toBe('the time you gave is up');
  });
  it('offsets: a zone name, an offset, nonsense', () => {
    expect(offsetMinutes({ timeZone: 'Asia/Kolkata' }, now)).toBe(330);
    expect(offsetMinutes({ offsetMinutes: -480 }, now)).toBe(-480);
    expect(offsetMinutes({ offsetMinutes: 5000 }, now)).toBeUndefined();
    expect(offsetMinutes(undefined, now)).toBeUndefined();
  });
});
