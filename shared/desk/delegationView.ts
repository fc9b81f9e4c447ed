/** My delegates and delegators with presence: the view the tab and the bot show. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { DelegationSettings } from '@microsoft/microsoft-graph-types-beta';
import type { SsoUser } from '../auth/ssoToken';
import { listDelegates, listDelegators } from '../graph/operations/delegation';
import { buildDelegationView, type DelegationView } from '../domain/delegationView';
import type { DeskContext } from './context';
import type { PresenceReader } from './presence';
import { usersFor } from './people';
import { TtlCache } from '../cache';

/** Everything a view is built from, by identity: cached values are the same objects while unchanged. */
const sameInputs = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export interface DelegationViews {
  /** In two sequential Graph round trips at most. */
  loadDelegationView(user: SsoUser): Promise<DelegationView>;
  /**
   * Forget cached data for a user (their delegations; with presence, their people's presence too), on
   * every instance, or everything this instance cached. What is known at once is forgotten before this
   * returns (a read that follows does not see it); the promise settles once the rest is. Never rejects.
   */
  invalidate(user?: SsoUser, opts?: { presence?: boolean }): Promise<void>;
}

export function delegationViews(ctx: DeskContext, presencesFor: PresenceReader): DelegationViews {
  async function delegationsOf(user: SsoUser, client: Client) {
    const cached = await ctx.delegations.get(user.oid);
    if (cached?.fresh) return cached.value;
    const [delegates, delegators] = await Promise.all([listDelegates(client), listDelegators(client)]);
    const value = { delegates, delegators };
    await ctx.delegations.set(user.oid, value);
    return value;
  }
  // Per user, the last view and what it was built from: a warm request with nothing changed builds nothing.
  const built = new TtlCache<{
    delegates: DelegationSettings[];
    delegators: DelegationSettings[];
    ids: string[];
    inputs: unknown[];
    view: DelegationView;
  }>(10 * 60_000, 10_000);
  const peopleOf = (lists: { delegates: DelegationSettings[]; delegators: DelegationSettings[] }) =>
    [...lists.delegates, ...lists.delegators].map((d) => String(d.id).toLowerCase());

  return {
    async loadDelegationView(user) {
      const client = await ctx.graphFor(user);
      const known = built.get(user.oid);
      const people = (ids: string[]) => Promise.all([usersFor(ctx, client, ids), presencesFor(user, client, ids)]);
      // Round trip 1: both lists and, for a view built before, its people and their presence with them (lists
      // rarely change). Round trip 2 only when the lists name other people (or on a first view).
      const lists = delegationsOf(user, client);
      const guessed = known && people(known.ids);
      guessed?.catch(() => undefined); // unused if the lists changed; awaited (and its error seen) otherwise
      const { delegates, delegators } = await lists;
      const sameLists = known?.delegates === delegates && known.delegators === delegators;
      const ids = sameLists ? known.ids : [...new Set([...delegates, ...delegators].map((d) => String(d.id).toLowerCase()))];
      const [users, presence] = await (guessed && sameInputs(ids, known.ids) ? guessed : people(ids));
      const inputs = [user.name, user.upn, presence.stale, ...users, ...presence.presences];
      if (sameLists && sameInputs(known.inputs, inputs)) return { ...known.view, generatedAt: new Date().toISOString() };
      const view = buildDelegationView({
        me: { id: user.oid, displayName: user.name, userPrincipalName: user.upn },
        delegates,
        delegators,
        users,
        presences: presence.presences,
        presenceStale: presence.stale,
      });
      built.set(user.oid, { delegates, delegators, ids, inputs, view });
      return view;
    },
    async invalidate(user, opts) {
      if (!user) {
        built.clear();
        ctx.delegations.clear();
        ctx.users.clear();
        ctx.presence.clear();
        return;
      }
      // Sent before this returns, so a read that follows does not see the old lists.
      if (!opts?.presence) return ctx.delegations.delete([user.oid]);
      // Their people too: as the Store knows them (another instance may have read newer lists), else as this instance does.
      const lists = (await ctx.delegations.get(user.oid).catch(() => undefined))?.value ?? ctx.delegations.peek(user.oid);
      await Promise.all([ctx.delegations.delete([user.oid]), lists ? ctx.presence.delete(peopleOf(lists)) : undefined]);
    },
  };
}
