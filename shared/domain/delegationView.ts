/**
 * The delegation view both front ends show: my delegates and my delegators with the person, the
 * permissions in words, presence and a "can take a call now" verdict. Pure: Graph data in, view out.
 */
import type { DelegationSettings } from '@microsoft/microsoft-graph-types-beta';
import type { DirectoryUser } from '../graph/operations/users';
import type { GraphPresence } from '../graph/operations/presence';
import { grantedPermissions, PERMISSION_LABELS, type Permission } from './permissions';
import { describePresence, reachability, STATE_ORDER, type ReachState } from './reachability';

export interface PersonView {
  id: string;
  displayName: string;
  userPrincipalName: string | null;
  jobTitle: string | null;
  department: string | null;
  /** False when the directory did not return this person (e.g. removed). */
  found: boolean;
}

export interface PresenceView {
  availability: string;
  activity: string;
  /** e.g. "Busy, in a meeting". */
  description: string;
  statusMessage: string | null;
  outOfOffice: { isOutOfOffice: boolean; message: string | null };
  workLocation: string | null;
}

export interface DelegationEntry {
  person: PersonView;
  relationship: 'delegate' | 'delegator';
  isActive: boolean;
  since: string | null;
  permissions: Permission[];
  permissionLabels: string[];
  presence: PresenceView | null;
  state: ReachState;
  canTakeCallNow: boolean;
  /** Why (not), in one sentence. */
  reason: string;
}

export interface DelegationView {
  me: { id: string; displayName: string; userPrincipalName: string };
  delegates: DelegationEntry[];
  delegators: DelegationEntry[];
  /** Delegates allowed to receive my calls who can take one right now, best first. */
  whoCanTakeMyCall: { people: DelegationEntry[]; summary: string };
  /** True when presence could not be refreshed and older presence is shown. */
  presenceStale: boolean;
  generatedAt: string;
}

function personOf(id: string, user: DirectoryUser | undefined): PersonView {
  return {
    id,
    displayName: user?.displayName ?? 'Unknown person',
    userPrincipalName: user?.userPrincipalName ?? null,
    jobTitle: user?.jobTitle ?? null,
    department: user?.department ?? null,
    found: user !== undefined,
  };
}

export function presenceView(p: GraphPresence | undefined): PresenceView | null {
  if (!p?.availability) return null;
  const isOutOfOffice = p.outOfOfficeSettings?.isOutOfOffice === true;
  return {
    availability: p.availability,
    activity: p.activity ?? p.availability,
    description: describePresence({ availability: p.availability, activity: p.activity ?? '', isOutOfOffice }),
    statusMessage: p.statusMessage?.message?.content?.trim() || null,
    outOfOffice: { isOutOfOffice, message: p.outOfOfficeSettings?.message ?? null },
    workLocation:
      p.workLocation?.workLocationType && p.workLocation.workLocationType !== 'unspecified' ? p.workLocation.workLocationType : null,
  };
}

function assess(e: Pick<DelegationEntry, 'person' | 'relationship' | 'isActive' | 'permissions'>, presence: PresenceView | null) {
  const facts = presence
    ? { availability: presence.availability, activity: presence.activity, isOutOfOffice: presence.outOfOffice.isOutOfOffice }
    : null;
  // A delegate must be allowed to receive my calls; a delegator only needs to be reachable.
  return reachability(e.person.displayName, facts, {
    isActive: e.isActive,
    mayReceiveCalls: e.relationship === 'delegator' || e.permissions.includes('receiveCalls'),
    side: e.relationship,
  });
}

function entry(
  d: DelegationSettings,
  relationship: 'delegate' | 'delegator',
  users: Map<string, DirectoryUser>,
  presences: Map<string, GraphPresence>,
): DelegationEntry {
  const id = String(d.id).toLowerCase();
  const person = personOf(id, users.get(id));
  const permissions = grantedPermissions(d.allowedActions as Record<string, unknown> | undefined);
  const presence = presenceView(presences.get(id));
  const isActive = d.isActive !== false;
  const verdict = assess({ person, relationship, isActive, permissions }, presence);
  return {
    person,
    relationship,
    isActive,
    since: d.createdDateTime ?? null,
    permissions,
    permissionLabels: permissions.map((p) => PERMISSION_LABELS[p]),
    presence,
    state: verdict.state,
    canTakeCallNow: verdict.canTakeCallNow,
    reason: verdict.reason,
  };
}

/** Reachable first, then by presence, active before inactive, then by name. */
export function compareEntries(a: DelegationEntry, b: DelegationEntry): number {
  return (
    Number(b.canTakeCallNow) - Number(a.canTakeCallNow) ||
    Number(b.isActive) - Number(a.isActive) ||
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    a.person.displayName.localeCompare(b.person.displayName)
  );
}

export function summarizeWhoCanTakeMyCall(delegates: DelegationEntry[]): { people: DelegationEntry[]; summary: string } {
  const people = delegates.filter((d) => d.canTakeCallNow);
  if (delegates.length === 0)
    return {
      people,
      summary: 'You have no delegates, so nobody can take your calls. Add a delegate in Teams: Settings › Calls › Manage delegates.',
    };
  if (people.length > 0) {
    const names = people.map((p) => p.person.displayName);
    const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    return { people, summary: `${list} can take your call now.` };
  }
  const receivers = delegates.filter((d) => d.isActive && d.permissions.includes('receiveCalls'));
  if (receivers.length === 0)
    return { people, summary: 'Nobody can take your call: none of your active delegates is allowed to receive calls.' };
  return { people, summary: `Nobody can take your call right now: ${receivers.map((d) => d.reason.replace(/\.$/, '')).join('; ')}.` };
}

export function buildDelegationView(input: {
  me: { id: string; displayName: string; userPrincipalName: string };
  delegates: DelegationSettings[];
  delegators: DelegationSettings[];
  users: DirectoryUser[];
  presences: GraphPresence[];
  presenceStale?: boolean;
  now?: Date;
}): DelegationView {
  const users = new Map(input.users.filter((u) => u.id).map((u) => [u.id!.toLowerCase(), u]));
  const presences = new Map(input.presences.filter((p) => p.id).map((p) => [p.id!.toLowerCase(), p]));
  const delegates = input.delegates.map((d) => entry(d, 'delegate', users, presences)).sort(compareEntries);
  const delegators = input.delegators.map((d) => entry(d, 'delegator', users, presences)).sort(compareEntries);
  return {
    me: input.me,
    delegates,
    delegators,
    whoCanTakeMyCall: summarizeWhoCanTakeMyCall(delegates),
    presenceStale: input.presenceStale ?? false,
    generatedAt: (input.now ?? new Date()).toISOString(),
  };
}

/**
 * The view with one person's presence changed (a pushed change): their entries reassessed, the lists
 * re-sorted and "who can take my call" recomputed. Pure, so the tab applies pushes itself.
 */
export function withPresence(view: DelegationView, personId: string, presence: PresenceView | null): DelegationView {
  const id = personId.toLowerCase();
  const update = (entries: DelegationEntry[]) =>
    entries
      .map((e) => {
        if (e.person.id !== id) return e;
        const verdict = assess(e, presence);
        return { ...e, presence, state: verdict.state, canTakeCallNow: verdict.canTakeCallNow, reason: verdict.reason };
      })
      .sort(compareEntries);
  const delegates = update(view.delegates);
  return { ...view, delegates, delegators: update(view.delegators), whoCanTakeMyCall: summarizeWhoCanTakeMyCall(delegates) };
}
