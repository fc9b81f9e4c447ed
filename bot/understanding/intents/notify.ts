/**
 * notify, listWatches, cancelWatch: "let me know when Alex is free", "what am I waiting for", "stop
 * notifying me about Alex". The answers (and the watches themselves) are in answers/intents/notify.ts.
 */
import type { CallTarget } from '../command';
import { DURATION_PHRASE, EXPIRY_PHRASE, watchDetails } from '../watching';
import type { Whom } from '../words';
import { always, phrasings } from './phrasings';

const ASK =
  '(?:let me know|tell me|notify me|ping me|alert me|message me|msg me|text me|lmk|inform me|buzz me|shout|give me a (?:shout|ping|heads up|buzz)|send me a (?:message|ping|note)|update me|keep me posted)';
const WHEN = '(?:when|once|as soon as|the moment|the minute|the second|whenever|if)';
/** What the person must become, as the sentence ends: "is free", "s back", "gets out of her meeting", "is done". */
const BECOMES =
  '(?:(?:is|s|are|gets|comes|becomes|goes|turns)(?: (?:free|available|back|online|around|in|done|finished|off|out|no longer busy|not busy))?(?: (?:again|up|anymore|online|at (?:her|his|their) desk|of (?:her|his|their|the|a) (?:meeting|call|calls|meetings)|(?:the )?phone|(?:her|his|their|the) (?:call|phone)|with (?:her|his|their|the) (?:meeting|call)|available|free))*|frees up|free up|returns|finishes(?: (?:her|his|their|the) (?:meeting|call))?|isnt busy(?: anymore)?|free|available|back|online)';
/** What may follow: how long to watch, and "or tell me if not", in either order. */
const TAIL = `(?:,? ?(?:${DURATION_PHRASE}|${EXPIRY_PHRASE}))*`;

/** The target a watch names: a person, or the user's delegate / executive; several people are not one watch. */
export function watchTarget(w: Whom | undefined): CallTarget | undefined {
  if (w?.kind === 'person') return w;
  if (w?.kind === 'myDelegates') return { kind: 'myDelegate' };
  if (w?.kind === 'myDelegators') return { kind: 'myDelegator' };
  return undefined;
}

export const notify = phrasings({
  intent: 'notify',
  patterns: [
    new RegExp(`^${ASK} ${WHEN} (.+?) (${BECOMES}${TAIL})$`),
    new RegExp(
      `^(?:watch|keep an eye on|keep watch on) (.+?) (?:and|then) ((?:let me know|tell me|ping me|notify me|lmk) (?:when|once|if) (?:she|he|they|shes|hes|theyre) ${BECOMES}${TAIL})$`,
    ),
  ],
  command(m, u) {
    const target = watchTarget(u.whom(m, 1));
    return target ? { intent: 'notify', target, ...watchDetails(m[2]!) } : undefined;
  },
});

export const listWatches = phrasings({
  intent: 'listWatches',
  patterns: [
    /^(?:what|who) am i (?:waiting|watching|waiting on|tracking|monitoring|being notified)(?: for| on| about)?$/,
    /^(?:what|who) (?:are you|r you|are u|r u) (?:watching|tracking|waiting for|monitoring)(?: for me)?$/,
    /^(?:show|list|see|view)(?: me)? (?:my |all my |the )?(?:watches|alerts|notifications|watch list|watchlist|pending alerts)$/,
    /^(?:my )?(?:watches|alerts|watch list|watchlist)$/,
    /^(?:what|which) (?:watches|alerts|notifications) (?:do i have|have i set|are (?:on|set|pending|active))$/,
    /^(?:do i have any|any) (?:watches|alerts|pending alerts)$/,
    /^who (?:will|are) you (?:going to )?(?:notify|tell|ping|alert) me about$/,
  ],
  command: always({ intent: 'listWatches' }),
});

export const cancelWatch = phrasings({
  intent: 'cancelWatch',
  patterns: [
    /^(?:stop|quit|cancel|turn off|no more|end) (?:notifying|pinging|alerting|telling|messaging|watching|waiting|notifications|alerts|pings)(?: me)?(?: (?:about|abut|for|on|when|of|if) (.+?))?$/,
    /^(?:cancel|remove|delete|clear|drop|stop|turn off|kill) (?:the |my |all |all my |all the )?(?:watch|watches|alerts?|notifications?|pings?)(?: (?:for|on|about|of) (.+?))?$/,
    /^(?:stop|quit) (?:watching|tracking|monitoring) (.+)$/,
  ],
  command(m, u) {
    if (m[1] === undefined) return { intent: 'cancelWatch' };
    const w = u.whom(m, 1);
    if (w?.kind === 'person') return { intent: 'cancelWatch', name: w.name };
    // A relationship is no watch's name: kept in the user's words, so the answer can say it found none.
    return w && w.kind !== 'people' ? { intent: 'cancelWatch', name: u.span(m, 1) } : undefined;
  },
});
