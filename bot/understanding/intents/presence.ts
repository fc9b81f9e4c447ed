/** presence: one person's availability and status message; groupPresence when the phrase names a relationship ("is my boss free"). */
import { phrasings } from './phrasings';

/** After whereAreMyDelegates in the table; a pattern whose group names no one ("is anyone free") lets the next try. */
export const presence = phrasings({
  intent: 'presence',
  patterns: [
    /^(?:is|are) (.+?) (?:available|free|online|around|busy|in a meeting|in a call|on a call|reachable|there|in today|in the office|out of office|ooo|away|back|at (?:her|his|their) desk)$/,
    /^(?:wheres|where is|where) (.+)$/,
    /^(?:whats|what is) (.+?) (?:status|presence|availability|doing|up to)$/,
    /^(?:whats|what is) (?:the )?(?:status|presence|availability) of (.+)$/,
    /^(?:status|presence|availability) (?:of|for) (.+)$/,
    /^(.+?) (?:status|presence|availability)$/,
    /^(?:can i (?:reach|call|talk to|get hold of)|how can i reach|check on|check) (.+?)(?: now)?$/,
    /^(?:is|are) (.+?) (?:free|available) (?:to talk|for a call|now)$/,
  ],
  command(m, u) {
    const w = u.whom(m, 1);
    return w?.kind === 'person' ? { intent: 'presence', name: w.name } : undefined;
  },
});

/** "is my boss free", "are any of my delegates around": the same phrasings, naming a relationship. */
export const groupPresence = phrasings({
  intent: 'groupPresence',
  patterns: presence.patterns,
  command(m, u) {
    const w = u.whom(m, 1);
    return w?.kind === 'myDelegates' || w?.kind === 'myDelegators' ? { intent: 'groupPresence', who: w.kind } : undefined;
  },
});
