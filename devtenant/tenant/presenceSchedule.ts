/**
 * Deterministic presence over time, so a UI shows movement and tests get the same answer for the same
 * seed and clock. Time is cut into slots; each user has a phase so people do not all change at once.
 */
import type { UserSeed } from './seedTypes';
import type { availabilityValues, activityValues } from './seedTypes';

export type Availability = (typeof availabilityValues)[number];
export type Activity = (typeof activityValues)[number];
export type WorkLocationType = 'unspecified' | 'office' | 'remote' | 'timeOff';

export interface ScheduledPresence {
  availability: Availability;
  activity: Activity;
  workLocation: WorkLocationType;
  statusMessage?: string;
  outOfOfficeMessage?: string;
}

type Profile = UserSeed['presenceProfile'];
type State = [Availability, Activity, number];

/** Valid Teams availability/activity pairs (reference §2.1 mapping table), weighted per profile. */
const PROFILES: Record<Profile, State[]> = {
  executive: [
    ['Busy', 'InAMeeting', 40],
    ['Available', 'Available', 20],
    ['Busy', 'InACall', 10],
    ['DoNotDisturb', 'Presenting', 8],
    ['Away', 'Away', 10],
    ['BeRightBack', 'BeRightBack', 7],
    ['DoNotDisturb', 'DoNotDisturb', 5],
  ],
  assistant: [
    ['Available', 'Available', 55],
    ['Busy', 'InACall', 20],
    ['Busy', 'InAMeeting', 10],
    ['BeRightBack', 'BeRightBack', 8],
    ['Away', 'Away', 7],
  ],
  engineer: [
    ['Available', 'Available', 40],
    ['Busy', 'Busy', 15],
    ['Busy', 'InAMeeting', 15],
    ['DoNotDisturb', 'DoNotDisturb', 10],
    ['Away', 'Away', 12],
    ['Offline', 'OffWork', 8],
  ],
  sales: [
    ['Busy', 'InACall', 35],
    ['Available', 'Available', 30],
    ['Busy', 'InAMeeting', 15],
    ['Away', 'Away', 12],
    ['BeRightBack', 'BeRightBack', 8],
  ],
  support: [
    ['Available', 'Available', 45],
    ['Busy', 'InACall', 35],
    ['BeRightBack', 'BeRightBack', 10],
    ['Away', 'Away', 10],
  ],
  onLeave: [
    ['Offline', 'OffWork', 70],
    ['Away', 'Away', 30],
  ],
  parttime: [
    ['Offline', 'OffWork', 45],
    ['Available', 'Available', 30],
    ['Away', 'Away', 15],
    ['Busy', 'InAMeeting', 10],
  ],
};

const STATUS_MESSAGES: Partial<Record<Activity, string[]>> = {
  InAMeeting: ['In back-to-back meetings until 4', 'Board prep, urgent calls only'],
  InACall: ['On a customer call', 'Call me back in 10'],
  Available: ['Happy to take calls', 'At my desk'],
  DoNotDisturb: ['Heads down on the quarterly report', 'Focus time'],
  Away: ['Lunch, back soon', 'Walking between buildings'],
};

/** cyrb53: a small, well-known string hash. */
function hash(str: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** mulberry32: a seeded PRNG in [0, 1). */
function mulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: T[], weight: (t: T) => number, r: number): T {
  const total = items.reduce((s, i) => s + weight(i), 0);
  let x = r * total;
  for (const i of items) {
    x -= weight(i);
    if (x < 0) return i;
  }
  return items[items.length - 1]!;
}

export function scheduledPresence(
  user: Pick<UserSeed, 'id' | 'presenceProfile' | 'presence'>,
  opts: { randomSeed: number; nowMs: number; intervalSeconds: number },
): ScheduledPresence {
  if (user.presence) {
    return {
      availability: user.presence.availability,
      activity: user.presence.activity,
      workLocation: user.presence.workLocation ?? 'unspecified',
      statusMessage: user.presence.statusMessage,
      outOfOfficeMessage: user.presence.outOfOfficeMessage,
    };
  }
  const intervalMs = Math.max(1, opts.intervalSeconds) * 1000;
  const phase = hash(`phase:${user.id}`, opts.randomSeed) % intervalMs;
  const slot = Math.floor((opts.nowMs + phase) / intervalMs);
  const rand = mulberry32(hash(`${user.id}:${slot}`, opts.randomSeed));
  const [availability, activity] = pick(PROFILES[user.presenceProfile], (s) => s[2], rand());
  const day = Math.floor(opts.nowMs / 86_400_000);
  const dayRand = mulberry32(hash(`${user.id}:day:${day}`, opts.randomSeed));

  if (user.presenceProfile === 'onLeave') {
    return {
      availability,
      activity,
      workLocation: 'timeOff',
      outOfOfficeMessage: 'I am out of office and will reply when I am back. For urgent matters, contact my team.',
    };
  }
  const workLocation: WorkLocationType = availability === 'Offline' ? 'unspecified' : dayRand() < 0.6 ? 'office' : 'remote';
  const messages = STATUS_MESSAGES[activity];
  const statusMessage = messages && rand() < 0.35 ? messages[Math.floor(rand() * messages.length)] : undefined;
  return { availability, activity, workLocation, ...(statusMessage ? { statusMessage } : {}) };
}
