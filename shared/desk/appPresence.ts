/**
 * Presence read by the app itself (application Presence.Read.All), for what runs without a signed-in
 * user at hand: the watches of "tell me when X is free" once no user's subscription holds X. One call
 * per 650 people, as getPresencesByUserId allows; what it reads also refreshes the shared cache.
 */
import { getPresences, type GraphPresence } from '../graph/operations/presence';
import type { DeskContext } from './context';

export interface AppPresence {
  /** The current presence of these people (by object id), read with the app's own token. */
  readPresencesAsApp(ids: string[]): Promise<GraphPresence[]>;
}

export function appPresence(ctx: DeskContext): AppPresence {
  return {
    async readPresencesAsApp(ids) {
      const presences = await getPresences(ctx.appGraph(), ids);
      for (const p of presences) if (p.id) ctx.presence.set(p.id.toLowerCase(), p);
      return presences;
    },
  };
}
