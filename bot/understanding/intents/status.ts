/** setStatus and clearStatus: the user's own presence and status message. */
import { AVAILABILITY_WORDS, availabilityIn, duration, withoutChatEnding } from '../words';
import { always, phrasings } from './phrasings';

export const clearStatus = phrasings({
  intent: 'clearStatus',
  patterns: [/\b(?:clear|reset|remove|delete) (?:my )?(?:status|status message|presence)\b/],
  command: always({ intent: 'clearStatus' }),
});

/** "set my status to …": a presence when that is all it says, otherwise a status message. */
export const setStatusTo = phrasings({
  intent: 'setStatus',
  patterns: [/\b(?:set|change|update|make|switch) (?:my )?status (?:message )?(?:to|as) (.+)$/],
  command(m, u) {
    const rest = m[1]!;
    const availability = availabilityIn(rest);
    // The message as the person typed it, punctuation included ("Back at 3:30, call 555-1234").
    const typed = /\bstatus (?:message )?(?:to|as)\s+(.+)$/i.exec(u.message.replace(/<at>.*?<\/at>/gi, ' ').trim())?.[1];
    // Without what closes a chat line ("?!", "pls") but with the message's own punctuation.
    const polite = withoutChatEnding(typed?.trim() ?? u.span(m, 1));
    const quoted = /^["“]?(.+?)["”]?$/.exec(polite)?.[1];
    // "set my status to busy (for an hour)" sets presence; anything else is a status message.
    const bare = rest.replace(/ for (?:(?:an?|one|\d+|two|three|half an?) )?(?:minutes?|mins?|hours?|hrs?|h|m)\b.*$/, '');
    const isOnlyAvailability = AVAILABILITY_WORDS.some(([re]) => new RegExp(`^(?:${re.source.replace(/\\b/g, '')})$`).test(bare));
    return {
      intent: 'setStatus',
      ...(isOnlyAvailability ? { availability } : { message: quoted }),
      ...(duration(rest) ? { durationMinutes: duration(rest) } : {}),
    };
  },
});

/** "Status: Travelling, reply slow": a status message after a colon, as typed (the colon is what says so). */
export const statusColon = phrasings({
  intent: 'setStatus',
  patterns: [/^(?:my )?status (?:message )?(.+)$/],
  command(_m, u) {
    const typed = /^\s*(?:my )?status(?: message)?\s*:\s*(.+)$/i.exec(u.message.replace(/<at>.*?<\/at>/gi, ' '))?.[1];
    const message = typed && withoutChatEnding(typed.trim());
    return message ? { intent: 'setStatus', message } : undefined;
  },
});

/** "I'm busy for an hour", "set me to do not disturb". */
export const setMeTo = phrasings({
  intent: 'setStatus',
  patterns: [
    /^(?:set me (?:to|as)|mark me (?:as)?|make me|im|i am|put me (?:on|in|as)|show me as|appear) (do not disturb|dnd|busy|away|available|free|offline|be right back|brb|back|online|invisible)(?: (?:for .+|until .+))?$/,
  ],
  command(m, u) {
    const availability = availabilityIn(m[1]!)!;
    const minutes = duration(u.text);
    return { intent: 'setStatus', availability, ...(minutes ? { durationMinutes: minutes } : {}) };
  },
});
