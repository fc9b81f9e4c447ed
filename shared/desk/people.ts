/** People: directory entries by id (cached), search by name with presence, photos. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { SsoUser } from '../auth/ssoToken';
import { getUsersByIds, getPhoto, searchPeople, type DirectoryUser } from '../graph/operations/users';
import { presenceView, type PresenceView } from '../domain/delegationView';
import type { DeskContext } from './context';
import type { PresenceReader } from './presence';

/** Directory entries by (lower-case) id: the cached ones, the others read from Graph at once and cached for everyone. */
export async function usersFor(ctx: DeskContext, client: Client, ids: string[]): Promise<DirectoryUser[]> {
  // First, before any other await: joins the same Store read as the presence of a view.
  const cached = await ctx.users.freshMany(ids);
  const missing = ids.filter((_, i) => cached[i] === undefined);
  if (missing.length === 0) return cached as DirectoryUser[];
  const fetched = (await getUsersByIds(client, missing)).filter((u) => u.id);
  await ctx.users.setMany(fetched.map((u) => [u.id!.toLowerCase(), u]));
  const byId = new Map(fetched.map((u) => [u.id!.toLowerCase(), u]));
  return ids.map((id, i) => cached[i] ?? byId.get(id)).filter((u): u is DirectoryUser => u !== undefined);
}

export interface People {
  /** Directory search by name or UPN, with each person's presence (for people outside my relationships). */
  findPeople(user: SsoUser, text: string): Promise<Array<{ person: DirectoryUser; presence: PresenceView | null }>>;
  photo(user: SsoUser, personId: string): Promise<{ bytes: Buffer; contentType: string } | null>;
}

export function people(ctx: DeskContext, presencesFor: PresenceReader): People {
  return {
    async findPeople(user, text) {
      const client = await ctx.graphFor(user);
      const found = await searchPeople(client, text);
      await ctx.users.setMany(found.filter((p) => p.id).map((p) => [p.id!.toLowerCase(), p]));
      const { presences } = await presencesFor(
        user,
        client,
        found.map((p) => p.id!.toLowerCase()),
      );
      const byId = new Map(presences.map((p) => [p.id!.toLowerCase(), p]));
      return found.map((person) => ({ person, presence: presenceView(byId.get(person.id!.toLowerCase())) }));
    },
    photo: async (user, personId) => getPhoto(await ctx.graphFor(user), personId),
  };
}
