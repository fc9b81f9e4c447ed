/**
 * The simulated tenant's state: directory, call delegations, consent and presence. Pure in-memory
 * state with no HTTP knowledge; the Graph and Entra routes read and change it.
 */
import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import type { Seed, UserSeed, AllowedActionName } from './seedTypes';
import { allowedActionNames } from './seedTypes';
import { TenantClock } from './clock';
import { scheduledPresence, type ScheduledPresence } from './presenceSchedule';

export type Availability = ScheduledPresence['availability'];
export type Activity = ScheduledPresence['activity'];
export type WorkLocationType = ScheduledPresence['workLocation'];

export interface TenantUser extends Omit<UserSeed, 'userPrincipalName' | 'displayName'> {
  userPrincipalName: string;
  displayName: string;
  mail: string;
}

export type AllowedActions = Record<AllowedActionName, boolean>;

export interface Delegation {
  delegatorId: string;
  delegateId: string;
  isActive: boolean;
  createdDateTime: string;
  allowedActions: AllowedActions;
}

/** Limits Teams enforces on shared line appearance. */
export const MAX_DELEGATES_PER_DELEGATOR = 25;
export const MAX_DELEGATORS_PER_DELEGATE = 25;

interface PresenceSession {
  availability: Availability;
  activity: Activity;
  expiresAt: number;
}

interface StatusMessageState {
  content: string;
  contentType: 'text' | 'html';
  publishedAt: number;
  expiry?: { dateTime: string; timeZone: string };
  expiresAt?: number;
}

interface PresenceState {
  /** Set through the admin API: replaces the schedule until cleared. */
  override?: ScheduledPresence;
  /** setPresence sessions by sessionId (application id). */
  sessions: Map<string, PresenceSession>;
  preferred?: PresenceSession;
  statusMessage?: StatusMessageState;
  /** For sequenceNumber: a hash of the last computed presence and the stamp it got. */
  lastHash?: string;
  sequence?: string;
}

/** What presence looks like after combining schedule, sessions and preferences. */
export interface EffectivePresence {
  id: string;
  availability: Availability;
  activity: Activity;
  outOfOffice: { isOutOfOffice: boolean; message: string | null };
  statusMessage?: StatusMessageState;
  workLocation: { workLocationType: WorkLocationType; source: 'none' | 'manual' | 'scheduled' | 'automatic'; placeId: null };
  sequenceNumber: string;
}

export class TenantError extends Error {
  constructor(
    readonly kind: 'notFound' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

const availabilityRank: Record<string, number> = {
  DoNotDisturb: 5,
  Busy: 4,
  BusyIdle: 4,
  Available: 3,
  AvailableIdle: 3,
  BeRightBack: 2,
  Away: 2,
  Offline: 0,
  PresenceUnknown: 0,
};

export interface TenantOptions {
  clock?: TenantClock;
  randomSeed?: number;
  /** How often, in seconds, each user's scheduled presence may change. */
  presenceIntervalSeconds?: number;
}

export class Tenant extends EventEmitter<{ presenceChanged: [userId: string]; delegationsChanged: [userIds: string[]] }> {
  readonly id: string;
  readonly displayName: string;
  readonly domain: string;
  readonly app: Seed['app'];
  readonly userPassword: string;
  readonly clock: TenantClock;
  randomSeed: number;
  presenceIntervalSeconds: number;

  private readonly users = new Map<string, TenantUser>();
  private readonly idByUpn = new Map<string, string>();
  private delegations: Delegation[] = [];
  private readonly consent = new Map<string, Set<string>>();
  private readonly presence = new Map<string, PresenceState>();
  private sequenceCounter = 0;

  constructor(seed: Seed, options: TenantOptions = {}) {
    super();
    this.id = seed.tenant.id;
    this.displayName = seed.tenant.displayName;
    this.domain = seed.tenant.domain;
    this.app = seed.app;
    this.userPassword = seed.userPassword;
    this.clock = options.clock ?? new TenantClock();
    this.randomSeed = options.randomSeed ?? 1;
    this.presenceIntervalSeconds = options.presenceIntervalSeconds ?? 45;

    for (const u of seed.users) {
      const upn = u.userPrincipalName.includes('@') ? u.userPrincipalName : `${u.userPrincipalName}@${this.domain}`;
      const user: TenantUser = { ...u, userPrincipalName: upn, mail: upn, displayName: u.displayName ?? `${u.givenName} ${u.surname}` };
      if (this.users.has(user.id)) throw new Error(`Seed has two users with id ${user.id}`);
      if (this.idByUpn.has(upn.toLowerCase())) throw new Error(`Seed has two users with userPrincipalName ${upn}`);
      this.users.set(user.id, user);
      this.idByUpn.set(upn.toLowerCase(), user.id);
      this.consent.set(user.id, new Set(u.consented ? seed.app.delegatedScopes.map((s) => s.toLowerCase()) : []));
      this.presence.set(user.id, { sessions: new Map() });
    }
    for (const d of seed.delegations) {
      this.addDelegation({
        delegator: d.delegator,
        delegate: d.delegate,
        isActive: d.isActive,
        allowedActions: d.allowedActions,
        createdDateTime: d.createdDateTime,
      });
    }
  }

  // ---- directory ----

  listUsers(): TenantUser[] {
    return [...this.users.values()];
  }

  /** By object id or userPrincipalName (case-insensitive); a bare local part gets the tenant domain. */
  findUser(idOrUpn: string): TenantUser | undefined {
    const key = idOrUpn.trim();
    const byId = this.users.get(key.toLowerCase()) ?? this.users.get(key);
    if (byId) return byId;
    const upn = (key.includes('@') ? key : `${key}@${this.domain}`).toLowerCase();
    const id = this.idByUpn.get(upn);
    return id ? this.users.get(id) : undefined;
  }

  requireUser(idOrUpn: string): TenantUser {
    const user = this.findUser(idOrUpn);
    if (!user) throw new TenantError('notFound', `No user '${idOrUpn}' in the dev tenant`);
    return user;
  }

  // ---- call delegation ----

  delegatesOf(userId: string): Delegation[] {
    return this.delegations.filter((d) => d.delegatorId === userId);
  }

  delegatorsOf(userId: string): Delegation[] {
    return this.delegations.filter((d) => d.delegateId === userId);
  }

  addDelegation(input: {
    delegator: string;
    delegate: string;
    isActive?: boolean;
    allowedActions?: Partial<AllowedActions>;
    createdDateTime?: string;
  }): Delegation {
    const delegator = this.requireUser(input.delegator);
    const delegate = this.requireUser(input.delegate);
    if (delegator.id === delegate.id) throw new TenantError('invalid', 'A user cannot be their own delegate');
    if (this.delegations.some((d) => d.delegatorId === delegator.id && d.delegateId === delegate.id)) {
      throw new TenantError('conflict', `${delegate.userPrincipalName} is already a delegate of ${delegator.userPrincipalName}`);
    }
    if (this.delegatesOf(delegator.id).length >= MAX_DELEGATES_PER_DELEGATOR) {
      throw new TenantError(
        'conflict',
        `${delegator.userPrincipalName} already has ${MAX_DELEGATES_PER_DELEGATOR} delegates (the Teams limit)`,
      );
    }
    if (this.delegatorsOf(delegate.id).length >= MAX_DELEGATORS_PER_DELEGATE) {
      throw new TenantError(
        'conflict',
        `${delegate.userPrincipalName} is already a delegate for ${MAX_DELEGATORS_PER_DELEGATE} people (the Teams limit)`,
      );
    }
    const allowedActions = Object.fromEntries(allowedActionNames.map((a) => [a, input.allowedActions?.[a] ?? false])) as AllowedActions;
    const delegation: Delegation = {
      delegatorId: delegator.id,
      delegateId: delegate.id,
      isActive: input.isActive ?? true,
      createdDateTime: input.createdDateTime ?? new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      allowedActions,
    };
    this.delegations.push(delegation);
    this.emit('delegationsChanged', [delegator.id, delegate.id]);
    return delegation;
  }

  removeDelegation(delegatorIdOrUpn: string, delegateIdOrUpn: string): void {
    const delegator = this.requireUser(delegatorIdOrUpn);
    const delegate = this.requireUser(delegateIdOrUpn);
    const before = this.delegations.length;
    this.delegations = this.delegations.filter((d) => !(d.delegatorId === delegator.id && d.delegateId === delegate.id));
    if (this.delegations.length === before) {
      throw new TenantError('notFound', `${delegate.userPrincipalName} is not a delegate of ${delegator.userPrincipalName}`);
    }
    this.emit('delegationsChanged', [delegator.id, delegate.id]);
  }

  // ---- consent ----

  consentedScopes(userId: string): Set<string> {
    return this.consent.get(userId) ?? new Set();
  }

  grantConsent(userId: string, scopes: string[] = this.app.delegatedScopes): void {
    const set = this.consentedScopes(userId);
    for (const s of scopes) set.add(s.toLowerCase());
    this.consent.set(userId, set);
  }

  revokeConsent(userId: string): void {
    this.consent.set(userId, new Set());
  }

  // ---- presence ----

  private presenceState(userId: string): PresenceState {
    const state = this.presence.get(userId);
    if (!state) throw new TenantError('notFound', `No user '${userId}' in the dev tenant`);
    return state;
  }

  /** The presence Graph reports: admin override or schedule, combined with app sessions and the user's preference. */
  effectivePresence(userId: string): EffectivePresence {
    const user = this.requireUser(userId);
    const state = this.presenceState(user.id);
    const now = this.clock.now();
    const base =
      state.override ?? scheduledPresence(user, { randomSeed: this.randomSeed, nowMs: now, intervalSeconds: this.presenceIntervalSeconds });

    for (const [id, s] of state.sessions) if (s.expiresAt <= now) state.sessions.delete(id);
    if (state.preferred && state.preferred.expiresAt <= now) state.preferred = undefined;
    if (state.statusMessage?.expiresAt !== undefined && state.statusMessage.expiresAt <= now) state.statusMessage = undefined;

    // The base stands for the user's own Teams clients; app sessions add to it, the strongest wins.
    const sessions: Array<{ availability: Availability; activity: Activity }> = [...state.sessions.values()];
    if (base.availability !== 'Offline') sessions.push(base);
    let availability: Availability = base.availability;
    let activity: Activity = base.activity;
    if (sessions.length > 0) {
      const strongest = sessions.reduce((a, b) =>
        (availabilityRank[b.availability] ?? 0) > (availabilityRank[a.availability] ?? 0) ? b : a,
      );
      availability = strongest.availability;
      activity = strongest.activity;
      if (state.preferred) {
        availability = state.preferred.availability;
        activity = state.preferred.activity;
      }
    }

    const statusMessage =
      state.statusMessage ??
      (base.statusMessage ? { content: base.statusMessage, contentType: 'text' as const, publishedAt: this.slotStart(now) } : undefined);
    const outOfOffice = { isOutOfOffice: base.outOfOfficeMessage !== undefined, message: base.outOfOfficeMessage ?? null };
    const workLocation = {
      workLocationType: base.workLocation,
      source: base.workLocation === 'unspecified' ? ('none' as const) : ('scheduled' as const),
      placeId: null,
    };

    const hash = createHash('sha1')
      .update(JSON.stringify([availability, activity, statusMessage?.content, outOfOffice, workLocation.workLocationType]))
      .digest('hex');
    if (state.lastHash !== hash) {
      state.lastHash = hash;
      this.sequenceCounter += 1;
      state.sequence = `${now.toString().padStart(15, '0')}${this.sequenceCounter.toString().padStart(6, '0')}`;
    }
    return { id: user.id, availability, activity, outOfOffice, statusMessage, workLocation, sequenceNumber: state.sequence! };
  }

  private slotStart(now: number): number {
    const ms = this.presenceIntervalSeconds * 1000;
    return Math.floor(now / ms) * ms;
  }

  /** Admin: pin a user's base presence (replaces the schedule). Pass undefined to return to the schedule. */
  setOverride(userId: string, presence: ScheduledPresence | undefined): void {
    this.presenceState(userId).override = presence;
    this.emit('presenceChanged', userId);
  }

  setSession(userId: string, sessionId: string, availability: Availability, activity: Activity, durationMs: number): void {
    this.presenceState(userId).sessions.set(sessionId.toLowerCase(), { availability, activity, expiresAt: this.clock.now() + durationMs });
    this.emit('presenceChanged', userId);
  }

  /** Returns false when the session does not exist. */
  clearSession(userId: string, sessionId: string): boolean {
    const removed = this.presenceState(userId).sessions.delete(sessionId.toLowerCase());
    if (removed) this.emit('presenceChanged', userId);
    return removed;
  }

  setPreferred(userId: string, availability: Availability, activity: Activity, durationMs: number): void {
    this.presenceState(userId).preferred = { availability, activity, expiresAt: this.clock.now() + durationMs };
    this.emit('presenceChanged', userId);
  }

  clearPreferred(userId: string): void {
    this.presenceState(userId).preferred = undefined;
    this.emit('presenceChanged', userId);
  }

  setStatusMessage(
    userId: string,
    message: { content: string; contentType?: 'text' | 'html'; expiry?: { dateTime: string; timeZone: string } } | undefined,
  ): void {
    const state = this.presenceState(userId);
    if (!message || message.content === '') {
      state.statusMessage = undefined;
    } else {
      const expiresAt = message.expiry ? Date.parse(`${message.expiry.dateTime.replace(/Z$/, '')}Z`) : undefined;
      state.statusMessage = {
        content: message.content,
        contentType: message.contentType ?? 'text',
        publishedAt: this.clock.now(),
        expiry: message.expiry,
        expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt,
      };
    }
    this.emit('presenceChanged', userId);
  }
}
