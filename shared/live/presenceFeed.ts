/**
 * What happens to a change notification after the webhook has acknowledged it: each item is checked
 * (a subscription we hold, its clientState, its tenant, validation tokens, signature and decryption),
 * stale or replayed updates are dropped, and a fresh presence goes into the shared presence cache and
 * out on the Store's channel to every instance's open tabs.
 */
import { timingSafeEqual } from 'node:crypto';
import type { DelegateDesk } from '../delegateDesk';
import type { LiveStatus } from '../api';
import { presenceView, type PresenceView } from '../domain/delegationView';
import { getJson, setJson, type Store } from '../store/store';
import type { SubscriptionKeeper } from './subscriptionKeeper';
import {
  decryptResourceData,
  isNewer,
  presenceFromNotification,
  type ChangeNotification,
  type DecryptionKey,
  type LifecycleNotification,
  type PresenceVersion,
  type ValidationTokenValidator,
} from './notifications';

/** Channels: a presence for the tabs that show the person; a status for one user's tabs. */
export const PRESENCE_CHANNEL = 'live:presence';
export const STATUS_CHANNEL = 'live:status';
export interface PresenceMessage {
  id: string;
  presence: PresenceView | null;
}
export interface StatusMessage {
  oid: string;
  status: LiveStatus;
}

export interface FeedOptions {
  store: Store;
  desk: DelegateDesk;
  keeper: SubscriptionKeeper;
  validateTokens: ValidationTokenValidator;
  key: DecryptionKey;
  now?: () => number;
}

export type Outcome =
  | 'accepted'
  | 'unknownSubscription'
  | 'wrongClientState'
  | 'wrongTenant'
  | 'noResourceData'
  | 'badEncryption'
  | 'badPresence'
  | 'notSubscribed'
  | 'stale'
  | 'badValidationToken';

const sameSecret = (a: string | null | undefined, b: string) => {
  const x = Buffer.from(a ?? '');
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export interface PresenceFeed {
  changes(value: ChangeNotification[], validationTokens: string[]): Promise<Record<Outcome, number>>;
  lifecycle(value: LifecycleNotification[]): Promise<void>;
}

export function presenceFeed(o: FeedOptions): PresenceFeed {
  const now = o.now ?? Date.now;

  async function one(n: ChangeNotification): Promise<Outcome> {
    const record = await o.keeper.byId(n.subscriptionId);
    if (!record) return 'unknownSubscription';
    if (!sameSecret(n.clientState, record.clientState)) return 'wrongClientState';
    if (n.tenantId && n.tenantId.toLowerCase() !== record.tid) return 'wrongTenant';
    if (!n.encryptedContent) return 'noResourceData';
    let decrypted: unknown;
    try {
      decrypted = decryptResourceData(n.encryptedContent, o.key);
    } catch {
      return 'badEncryption';
    }
    const parsed = presenceFromNotification(decrypted);
    if (!parsed.ok) return 'badPresence';
    const id = parsed.presence.id.toLowerCase();
    if (!record.people.includes(id)) return 'notSubscribed';
    const versionKey = `live:seq:${id}`;
    const next: PresenceVersion = { sequenceNumber: parsed.presence.sequenceNumber, receivedAt: now() };
    if (!isNewer(await getJson<PresenceVersion>(o.store, versionKey), next)) return 'stale';
    await setJson(o.store, versionKey, next, 2 * 3_600_000);
    await o.desk.notePresence(parsed.presence);
    await o.store.publish(PRESENCE_CHANNEL, JSON.stringify({ id, presence: presenceView(parsed.presence) } satisfies PresenceMessage));
    return 'accepted';
  }

  return {
    async changes(value, validationTokens) {
      const outcomes = {} as Record<Outcome, number>;
      const count = (k: Outcome) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
      const richTenants = new Set(value.filter((n) => n.encryptedContent).map((n) => n.tenantId.toLowerCase()));
      if (richTenants.size > 0) {
        try {
          await o.validateTokens(validationTokens, { tenantIds: richTenants });
        } catch (e) {
          console.warn(`[live] notifications refused: ${(e as Error)?.message ?? e}`);
          for (const _ of value) count('badValidationToken');
          return outcomes;
        }
      }
      for (const n of value) count(await one(n));
      return outcomes;
    },

    async lifecycle(value) {
      for (const n of value) {
        const record = await o.keeper.byId(n.subscriptionId);
        if (!record || !sameSecret(n.clientState, record.clientState)) continue;
        if (n.lifecycleEvent !== 'reauthorizationRequired') continue;
        // Deliveries are paused until this succeeds; without a fresh token it lapses and the tab polls.
        if (!(await o.keeper.reauthorize(n.subscriptionId))) {
          await o.store.publish(
            STATUS_CHANNEL,
            JSON.stringify({ oid: record.oid, status: { mode: 'paused', reason: 'tokenTooOld' } } satisfies StatusMessage),
          );
        }
      }
    },
  };
}
