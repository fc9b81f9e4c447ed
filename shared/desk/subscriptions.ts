/** Presence change notifications: one subscription per user, held with the user's own (delegated) token. */
import type { SsoUser } from '../auth/ssoToken';
import { createPresenceSubscription, renewSubscription, deleteSubscription } from '../graph/operations/subscriptions';
import type { DeskContext } from './context';

export interface PresenceSubscriptions {
  subscribeToPresence(user: SsoUser, input: { userIds: string[]; notificationUrl: string; lifecycleNotificationUrl?: string; clientState: string }): Promise<{ id: string; expirationDateTime: string }>;
  renewPresenceSubscription(user: SsoUser, id: string): Promise<{ id: string; expirationDateTime: string }>;
  deletePresenceSubscription(user: SsoUser, id: string): Promise<void>;
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
    deletePresenceSubscription: async (user, id) => deleteSubscription(await ctx.graphFor(user), id),
  };
}
