/** My delegates and delegators with presence: the view the tab and the bot show. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { SsoUser } from '../auth/ssoToken';
import { listDelegates, listDelegators } from '../graph/operations/delegation';
import { buildDelegationView, type DelegationView } from '../domain/delegationView';
import type { DeskContext } from './context';
import type { PresenceReader } from './presence';
import { usersFor } from './people';

export interface DelegationViews {
  /** In two sequential Graph round trips at most. */
  loadDelegationView(user: SsoUser): Promise<DelegationView>;
  /** Forget cached data for a user (their delegations; with presence, their people's presence too) or everything. */
  invalidate(user?: SsoUser, opts?: { presence?: boolean }): void;
}

export function delegationViews(ctx: DeskContext, presencesFor: PresenceReader): DelegationViews {
  async function delegationsOf(user: SsoUser, client: Client) {
    const cached = ctx.delegations.get(user.oid);
    if (cached) return cached;
    const [delegates, delegators] = await Promise.all([listDelegates(client), listDelegators(client)]);
    const value = { delegates, delegators };
    ctx.delegations.set(user.oid, value);
    return value;
  }

  return {
    async loadDelegationView(user) {
      const client = await ctx.graphFor(user);
      // Round trip 1: both lists at once. Round trip 2: every person and every presence at once.
      const { delegates, delegators } = await delegationsOf(user, client);
      const ids = [...new Set([...delegates, ...delegators].map((d) => String(d.id).toLowerCase()))];
      const [users, presence] = await Promise.all([usersFor(ctx, client, ids), presencesFor(user, client, ids)]);
      return buildDelegationView({
        me: { id: user.oid, displayName: user.name, userPrincipalName: user.upn },
        delegates,
        delegators,
        users,
        presences: presence.presences,
        presenceStale: presence.stale,
      });
    },
    invalidate(user, opts) {
      if (user) {
        const lists = ctx.delegations.getStale(user.oid);
        if (opts?.presence && lists)
          for (const d of [...lists.delegates, ...lists.delegators]) ctx.presence.delete(String(d.id).toLowerCase());
        ctx.delegations.delete(user.oid);
      } else {
        ctx.delegations.clear();
        ctx.users.clear();
        ctx.presence.clear();
      }
    },
  };
}
