/** presence: one person's availability and status message. */
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
    const name = u.name(m, 1);
    return name ? { intent: 'presence', name } : undefined;
  },
});
