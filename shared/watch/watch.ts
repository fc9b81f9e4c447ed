/**
 * "Tell me when Alex is free": what a watch is, when it is met and how long it lasts. Pure: no I/O, the
 * clock passed in.
 */
import type { WatchCondition, WatchView } from '../api';
import type { PresenceView } from '../domain/delegationView';

export interface Watch {
  /** Unique per watch (a new watch on the same person is a new id: a fired mark never blocks it). */
  id: string;
  /** The watcher: who gets the message. */
  oid: string;
  tid: string;
  personId: string;
  displayName: string;
  /** For the card's Call and Chat buttons. */
  userPrincipalName: string | null;
  condition: WatchCondition;
  createdAt: number;
  until: number;
  /** A short message when it ends unfired (only when the user asked for one). */
  reportExpiry: boolean;
  /** The watcher's time zone, to word "until 6 pm" as they read it. */
  zone?: WatchZone;
}

/** An IANA time zone (Teams' activity.localTimezone, the browser's), or a UTC offset (activity.localTimestamp). */
export interface WatchZone {
  timeZone?: string;
  offsetMinutes?: number;
}

/** The most watches one user may hold at once (a clear answer beyond it, not a silent drop). */
export const MAX_WATCHES_PER_USER = 100;
/** Graph's presence subscriptions last an hour at most and a working day is not longer than this. */
export const MAX_WATCH_MINUTES = 12 * 60;
/** The end of a working day, where the watcher's time zone is known. */
const END_OF_DAY_HOUR = 18;
/** Without a time zone: a working day's worth. */
const DEFAULT_MINUTES = 8 * 60;

const AT_DESK = new Set(['Available', 'AvailableIdle', 'Busy', 'BusyIdle', 'DoNotDisturb']);
const MET: Record<WatchCondition, (p: PresenceView) => boolean> = {
  free: (p) => p.availability === 'Available' || p.availability === 'AvailableIdle',
  back: (p) => AT_DESK.has(p.availability),
};

/** Whether this presence is what the watch waits for (unknown presence never is). */
export const conditionMet = (condition: WatchCondition, presence: PresenceView | null | undefined): boolean =>
  !!presence && MET[condition](presence);

/** Minutes east of UTC at `at` in the zone (undefined: unknown or invalid zone). */
export function offsetMinutes(zone: WatchZone | undefined, at: number): number | undefined {
  if (!zone) return undefined;
  if (zone.timeZone) {
    try {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: zone.timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      }).formatToParts(new Date(at));
      const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
      const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'));
      return Math.round((wall - Math.floor(at / 60_000) * 60_000) / 60_000);
    } catch {
      // An unknown zone name: fall through to the offset, if any.
    }
  }
  return typeof zone.offsetMinutes === 'number' && Math.abs(zone.offsetMinutes) <= 14 * 60 ? zone.offsetMinutes : undefined;
}

/**
 * When a watch ends: after `minutes` if asked (at most 12 h), else at 6 pm in the watcher's zone when
 * that is at least half an hour away, else 12 h from now (asked in the evening, it covers the morning).
 */
export function watchUntil(now: number, minutes: number | undefined, zone: WatchZone | undefined): number {
  if (minutes !== undefined) return now + Math.min(Math.max(1, Math.round(minutes)), MAX_WATCH_MINUTES) * 60_000;
  const offset = offsetMinutes(zone, now);
  if (offset === undefined) return now + DEFAULT_MINUTES * 60_000;
  const local = new Date(now + offset * 60_000);
  const endLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), END_OF_DAY_HOUR);
  const end = endLocal - offset * 60_000;
  return end - now >= 30 * 60_000 ? Math.min(end, now + MAX_WATCH_MINUTES * 60_000) : now + MAX_WATCH_MINUTES * 60_000;
}

/** "6:00 PM" in the watcher's zone, or "in 8 hours" where the zone is unknown. */
export function describeUntil(until: number, now: number, zone: WatchZone | undefined): string {
  const offset = offsetMinutes(zone, until);
  if (offset === undefined) {
    const minutes = Math.max(1, Math.round((until - now) / 60_000));
    return minutes < 90 ? `for the next ${minutes} minute${minutes === 1 ? '' : 's'}` : `for the next ${Math.round(minutes / 60)} hours`;
  }
  const time = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', minute: '2-digit' }).format(
    new Date(until + offset * 60_000),
  );
  const sameDay = new Date(until + offset * 60_000).getUTCDate() === new Date(now + offset * 60_000).getUTCDate();
  return `until ${time}${sameDay ? '' : ' tomorrow'}`;
}

/** Why a watch ended unfired, in words: "it's past 6:00 PM", or "the time you gave is up". */
export function describeEnd(until: number, zone: WatchZone | undefined): string {
  const offset = offsetMinutes(zone, until);
  if (offset === undefined) return 'the time you gave is up';
  const time = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', minute: '2-digit' }).format(
    new Date(until + offset * 60_000),
  );
  return `it's past ${time}`;
}

/** What the condition waits for, in words: "is available", "is back". */
export const WAITING_FOR: Record<WatchCondition, string> = { free: 'is available', back: 'is back' };

export const watchView = (w: Watch): WatchView => ({
  personId: w.personId,
  displayName: w.displayName,
  condition: w.condition,
  until: new Date(w.until).toISOString(),
  createdAt: new Date(w.createdAt).toISOString(),
});
