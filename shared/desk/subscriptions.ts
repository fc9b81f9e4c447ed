/** Presence change notifications: one subscription per user, held with the user's own (delegated) token. */
import type { SsoUser } from '../auth/ssoToken';
import {
  createPresenceSubscription,
  renewSubscription,
  deleteSubscription,
  listSubscriptions,
  reauthorizeSubscription,
  type SubscriptionInput,
} from '../graph/operations/subscriptions';
import type { DeskContext } from './context';

export interface PresenceSubscriptions {
  subscribeToPresence(user: SsoUser, input: SubscriptionInput): Promise<{ id: string; expirationDateTime: string }>;
  renewPresenceSubscription(user: SsoUser, id: string): Promise<{ id: string; expirationDateTime: string }>;
  reauthorizePresenceSubscription(user: SsoUser, id: string): Promise<void>;
  deletePresenceSubscription(user: SsoUser, id: string): Promise<void>;
  /** Ids of the app's subscriptions for this user. */
  listPresenceSubscriptions(user: SsoUser): Promise<Array<{ id: string; notificationUrl: string; creatorId: string }>>;
}

export function presenceSubscriptions(ctx: DeskContext): PresenceSubscriptions {
  return {
    async subscribeToPresence(user, input) {
      const s = await createPresenceSubscription(await ctx.graphFor(user), input);
      return { id: s.id ?? '', expirationDateTime: s.expirationDateTime ?? '' };
    },
    async renewPresenceSubscription(user, id) {
      const s = await renewSubscription(await ctx.graphFor(user), id);
      return { id: s.id ?? id, expirationDateTime: s.expirationDateTime ?? '' };
    },
    reauthorizePresenceSubscription: async (user, id) => reauthorizeSubscription(await ctx.graphFor(user), id),
    deletePresenceSubscription: async (user, id) => deleteSubscription(await ctx.graphFor(user), id),
    listPresenceSubscriptions: async (user) =>
      (await listSubscriptions(await ctx.graphFor(user)))
        .map((s) => ({ id: s.id ?? '', notificationUrl: s.notificationUrl ?? '', creatorId: (s.creatorId ?? '').toLowerCase() }))
        .filter((s) => s.id),
  };
}
