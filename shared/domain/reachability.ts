/**
 * Whether a person can take a call now, and why, in words: the rules both the tab and the bot show.
 * Pure: presence and the relationship in, a verdict out.
 */
export type ReachState = 'available' | 'busy' | 'doNotDisturb' | 'away' | 'offline' | 'outOfOffice' | 'unknown';

export interface PresenceFacts {
  availability: string;
  activity: string;
  isOutOfOffice: boolean;
}

export interface Verdict {
  canTakeCallNow: boolean;
  state: ReachState;
  reason: string;
}

const ACTIVITY_WORDS: Record<string, string> = {
  InACall: 'is in a call',
  InAConferenceCall: 'is in a conference call',
  InAMeeting: 'is in a meeting',
  Presenting: 'is presenting',
  Busy: 'is busy',
  DoNotDisturb: 'does not want to be disturbed',
  UrgentInterruptionsOnly: 'accepts urgent interruptions only',
  Away: 'is away',
  BeRightBack: 'will be right back',
  Inactive: 'is inactive',
  OffWork: 'is off work',
  Offline: 'is offline',
  OutOfOffice: 'is out of office',
};

/** Presence in plain words, e.g. "Busy, in a meeting". */
export function describePresence(p: PresenceFacts | null): string {
  if (!p) return 'Presence unknown';
  const availability: Record<string, string> = {
    Available: 'Available',
    AvailableIdle: 'Available (idle)',
    Busy: 'Busy',
    BusyIdle: 'Busy (idle)',
    DoNotDisturb: 'Do not disturb',
    BeRightBack: 'Be right back',
    Away: 'Away',
    Offline: 'Offline',
    PresenceUnknown: 'Presence unknown',
  };
  const base = availability[p.availability] ?? p.availability;
  const activity = ACTIVITY_WORDS[p.activity];
  const detail =
    activity && p.activity !== p.availability && p.activity !== 'Available'
      ? `, ${activity.replace(/^is /, '').replace(/^does /, 'does ')}`
      : '';
  return `${base}${detail}${p.isOutOfOffice && p.activity !== 'OutOfOffice' ? ' (out of office)' : ''}`;
}

export function reachability(
  name: string,
  presence: PresenceFacts | null,
  relation: { isActive: boolean; mayReceiveCalls: boolean; side?: 'delegate' | 'delegator' },
): Verdict {
  const first = name.split(' ')[0] || name;
  // My delegate's delegation is from me to them; an executive's is from them to me.
  const inactive =
    relation.side === 'delegator' ? `The delegation from ${first} is not active.` : `The delegation to ${first} is not active.`;
  if (!relation.isActive) return { canTakeCallNow: false, state: stateOf(presence), reason: inactive };
  if (!relation.mayReceiveCalls)
    return { canTakeCallNow: false, state: stateOf(presence), reason: `${first} is not allowed to receive your calls.` };
  if (!presence) return { canTakeCallNow: false, state: 'unknown', reason: `${first}'s presence is unknown.` };
  const state = stateOf(presence);
  switch (state) {
    case 'available':
      return { canTakeCallNow: true, state, reason: `${first} is available.` };
    case 'outOfOffice':
      return { canTakeCallNow: false, state, reason: `${first} is out of office.` };
    case 'unknown':
      return { canTakeCallNow: false, state, reason: `${first}'s presence is unknown.` };
    default:
      return {
        canTakeCallNow: false,
        state,
        reason: `${first} ${ACTIVITY_WORDS[presence.activity] ?? ACTIVITY_WORDS[presence.availability] ?? 'cannot take calls now'}.`,
      };
  }
}

export function stateOf(p: PresenceFacts | null): ReachState {
  if (!p) return 'unknown';
  if (p.isOutOfOffice || p.activity === 'OutOfOffice') return 'outOfOffice';
  switch (p.availability) {
    case 'Available':
    case 'AvailableIdle':
      return 'available';
    case 'Busy':
    case 'BusyIdle':
      return 'busy';
    case 'DoNotDisturb':
      return 'doNotDisturb';
    case 'Away':
    case 'BeRightBack':
      return 'away';
    case 'Offline':
      return 'offline';
    default:
      return 'unknown';
  }
}

/** Reachable people first, then by how soon they are likely free. */
export const STATE_ORDER: Record<ReachState, number> = {
  available: 0,
  away: 1,
  busy: 2,
  doNotDisturb: 3,
  outOfOffice: 4,
  offline: 5,
  unknown: 6,
};
