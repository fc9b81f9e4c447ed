import { describe, expect, it } from 'vitest';
import { scheduledPresence } from './presenceSchedule';

const VALID = new Set([
  'Available/Available',
  'Busy/Busy',
  'Busy/InACall',
  'Busy/InAMeeting',
  'Busy/InAConferenceCall',
  'DoNotDisturb/DoNotDisturb',
  'DoNotDisturb/Presenting',
  'Away/Away',
  'BeRightBack/BeRightBack',
  'Offline/OffWork',
]);
const T0 = Date.parse('2026-03-02T10:00:00Z');
const opts = (nowMs: number, randomSeed = 1) => ({ randomSeed, nowMs, intervalSeconds: 60 });
const exec = { id: 'a1', presenceProfile: 'executive' as const };

describe('scheduledPresence', () => {
  it('is deterministic for the same user, seed and time', () => {
    expect(scheduledPresence(exec, opts(T0))).toEqual(scheduledPresence(exec, opts(T0)));
  });

  it('changes over slots for an active profile', () => {
    const seen = new Set(Array.from({ length: 20 }, (_, i) => scheduledPresence(exec, opts(T0 + i * 60_000)).activity));
    expect(seen.size).toBeGreaterThan(1);
  });

  it('gives users different phases', () => {
    const changeTimes = (id: string) => {
      const out: number[] = [];
      for (let s = 0; s < 600; s += 5) {
        const a = scheduledPresence({ id, presenceProfile: 'engineer' }, opts(T0 + s * 1000)).activity;
        const b = scheduledPresence({ id, presenceProfile: 'engineer' }, opts(T0 + (s + 5) * 1000)).activity;
        if (a !== b) out.push(s % 60);
      }
      return out;
    };
    expect(changeTimes('user-one')).not.toEqual(changeTimes('user-two'));
  });

  it('only produces valid Teams availability/activity pairs', () => {
    for (const profile of ['executive', 'assistant', 'engineer', 'sales', 'support', 'onLeave', 'parttime'] as const) {
      for (let i = 0; i < 300; i++) {
        const p = scheduledPresence({ id: `u${i % 7}`, presenceProfile: profile }, opts(T0 + i * 61_000));
        expect(VALID.has(`${p.availability}/${p.activity}`)).toBe(true);
      }
    }
  });

  it('respects pinned presence', () => {
    expect(
      scheduledPresence(
        { id: 'x', presenceProfile: 'engineer', presence: { availability: 'Busy', activity: 'InACall', statusMessage: 'hi' } },
        opts(T0),
      ),
    ).toEqual({
      availability: 'Busy',
      activity: 'InACall',
      workLocation: 'unspecified',
      statusMessage: 'hi',
      outOfOfficeMessage: undefined,
    });
  });

  it('keeps people on leave out of office', () => {
    for (let i = 0; i < 50; i++) {
      const p = scheduledPresence({ id: 'leave', presenceProfile: 'onLeave' }, opts(T0 + i * 3_600_000));
      expect(p.outOfOfficeMessage).toBeTruthy();
      expect(p.workLocation).toBe('timeOff');
    }
  });
});
