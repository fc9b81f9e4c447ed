/**
 * What the classifier's reading of a message asks for: its label, and the entities the message carries
 * (names, a relationship, video, an availability, a duration, a status message). Below the confidence
 * threshold, a clarifying question with the two best readings; a request with no one to act on asks whom.
 */
import { classify, namesIn, type Classification, type Label } from './classifier';
import type { Command, Relation, StatusAvailability } from './command';
import { fold } from './text';
import { watchDetails } from './watching';
import { availabilityIn, relationIn, withoutChatEnding } from './words';

/** At or above: act on the best reading. */
export const CONFIDENT = 0.5;
/**
 * At or above: a reading that names no one asks whom (below, it is more likely not meant at all). 0.6 since the
 * None class learnt fragments and word salads: "meet now" scores about 0.8 and garbage mostly goes to None.
 */
export const SURE = 0.6;
/** Below: not understood (unless the second reading is close enough to ask about). */
export const PLAUSIBLE = 0.25;

/** Phrasings the rules parse exactly: the buttons of a clarifying question send them back. */
export const PHRASES = {
  myDelegates: 'Who is my delegate',
  myDelegators: 'Who am I a delegate for',
  whoCanTakeMyCall: 'Who can take my call now',
  clearStatus: 'Clear my status',
  help: 'Help',
  presence: { myDelegates: 'Are my delegates available', myDelegators: 'Are the people I cover for available' },
  call: { myDelegates: 'Call my delegate', myDelegators: 'Call my executive' },
  meetNow: { myDelegates: 'Meet now with my delegates', myDelegators: 'Meet now with my executives' },
  permissions: { myDelegates: 'What may my delegates do', myDelegators: 'What may I do for my executives' },
  notify: { myDelegates: 'Tell me when my delegate is free', myDelegators: 'Tell me when my executive is free' },
  listWatches: 'What am I waiting for',
  cancelWatch: 'Stop notifying me',
} as const;

export const WHOM_QUESTION = 'Whom do you mean?';

type Targeted = 'presence' | 'call' | 'meetNow' | 'permissions' | 'notify';
const whomQuestion = (label: Targeted): Command => ({
  intent: 'clarify',
  question: WHOM_QUESTION,
  options: [PHRASES[label].myDelegates, PHRASES[label].myDelegators],
});

const EXTRA_AVAILABILITY: Array<[RegExp, StatusAvailability]> = [
  [/\b(?:in a meeting|in meetings|on the phone|in a workshop)\b/, 'Busy'],
  [/\b(?:out for|at lunch|lunch)\b/, 'Away'],
];

/** "30 mins", "for an hour", "2h", "1 hr". */
export function minutesIn(text: string): number | undefined {
  const m = /\b(?:for )?(an?|one|two|three|half an?|\d+) ?(hours?|hrs?|h|minutes?|mins?|min|m)\b/.exec(text);
  if (!m) return undefined;
  const words: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3 };
  const n = m[1]!.startsWith('half') ? 0.5 : (words[m[1]!] ?? Number(m[1]));
  return Math.round(n * (m[2]!.startsWith('h') ? 60 : 1));
}

function statusCommand(message: string, text: string): Command {
  const typed = /\bstatus(?: message)?(?: to| as| should say| to say|:)\s*(.+)$/i.exec(message.trim())?.[1];
  const put = /^put (.+?) as my status/i.exec(message.trim())?.[1];
  const quoted = withoutChatEnding((typed ?? put)?.trim() ?? '').replace(/^["“]|["”]$/g, '') || undefined;
  const availability = EXTRA_AVAILABILITY.find(([re]) => re.test(text))?.[1] ?? availabilityIn(text);
  if (quoted && !(availability && fold(quoted).split(' ').length <= 2 && availabilityIn(fold(quoted)))) {
    return { intent: 'setStatus', message: quoted };
  }
  const minutes = minutesIn(text);
  return { intent: 'setStatus', ...(availability ? { availability } : {}), ...(minutes ? { durationMinutes: minutes } : {}) };
}

/** The relationship a permissions question is about when it names none: "what may I do" is the delegate asking. */
function permissionsRelation(text: string): Relation | undefined {
  if (/\b(?:i|im|me) (?:\w+ )?(?:do|allowed|permitted|able|make|answer|place|have)\b.*\bfor\b|\bas (?:a |their )?delegate\b/.test(text))
    return 'myDelegators';
  return undefined;
}

/** The command one reading builds from the message's entities. */
export function commandFor(label: Label, message: string, text: string): Command {
  const relation = relationIn(text);
  const names = namesIn(message);
  switch (label) {
    case 'myDelegates':
    case 'myDelegators':
    case 'whoCanTakeMyCall':
    case 'clearStatus':
      return { intent: label };
    case 'help':
      return { intent: 'help', reason: 'asked' };
    case 'None':
      return { intent: 'help', reason: 'notUnderstood' };
    case 'setStatus':
      return statusCommand(message, text);
    case 'presence':
      if (relation && !names.length) return { intent: 'groupPresence', who: relation };
      return names[0] ? { intent: 'presence', name: names[0] } : whomQuestion('presence');
    case 'call': {
      const video = /\b(?:video|facetime|camera|on cam)\b/.test(text);
      if (relation && !names.length)
        return { intent: 'call', target: { kind: relation === 'myDelegates' ? 'myDelegate' : 'myDelegator' }, video };
      return names[0] ? { intent: 'call', target: { kind: 'person', name: names[0] }, video } : whomQuestion('call');
    }
    case 'meetNow':
      if (relation && !names.length) return { intent: 'meetNow', target: { kind: relation } };
      if (names.length > 1) return { intent: 'meetNow', target: { kind: 'people', names } };
      return names[0] ? { intent: 'meetNow', target: { kind: 'person', name: names[0] } } : whomQuestion('meetNow');
    case 'permissions': {
      if (names[0]) return { intent: 'permissions', target: { kind: 'person', name: names[0] } };
      const r = relation ?? permissionsRelation(text);
      return r ? { intent: 'permissions', target: { kind: r } } : whomQuestion('permissions');
    }
    case 'notify': {
      const details = watchDetails(text);
      if (names[0]) return { intent: 'notify', target: { kind: 'person', name: names[0] }, ...details };
      if (relation) return { intent: 'notify', target: { kind: relation === 'myDelegates' ? 'myDelegate' : 'myDelegator' }, ...details };
      return whomQuestion('notify');
    }
    case 'listWatches':
      return { intent: 'listWatches' };
    case 'cancelWatch':
      return names[0] ? { intent: 'cancelWatch', name: names[0] } : { intent: 'cancelWatch' };
  }
}

/** The phrasing a button sends for a reading, when the rules parse one back to the same command. */
export function phraseFor(c: Command): string | undefined {
  switch (c.intent) {
    case 'myDelegates':
    case 'myDelegators':
    case 'whoCanTakeMyCall':
    case 'clearStatus':
      return PHRASES[c.intent];
    case 'presence':
      return `Is ${c.name} available`;
    case 'groupPresence':
      return PHRASES.presence[c.who];
    case 'call':
      if (c.target.kind === 'person') return `Call ${c.target.name}`;
      return PHRASES.call[c.target.kind === 'myDelegate' ? 'myDelegates' : 'myDelegators'];
    case 'meetNow':
      if (c.target.kind === 'person') return `Meet now with ${c.target.name}`;
      if (c.target.kind === 'people') return `Meet now with ${c.target.names.join(', ')}`;
      return PHRASES.meetNow[c.target.kind];
    case 'permissions':
      return c.target.kind === 'person' ? `What may ${c.target.name} do` : PHRASES.permissions[c.target.kind];
    case 'notify': {
      const who = c.target.kind === 'person' ? c.target.name : `my ${c.target.kind === 'myDelegate' ? 'delegate' : 'executive'}`;
      const howLong = c.durationMinutes ? ` for the next ${c.durationMinutes} minutes` : '';
      return `Tell me when ${who} ${c.condition === 'back' ? 'is back' : 'is free'}${howLong}${c.reportExpiry ? ' or tell me if not' : ''}`;
    }
    case 'listWatches':
      return PHRASES.listWatches;
    case 'cancelWatch':
      return c.name ? `Stop notifying me about ${c.name}` : PHRASES.cancelWatch;
    case 'help':
      return c.reason === 'asked' ? PHRASES.help : undefined;
    default:
      return undefined;
  }
}

/** The classifier's answer for a message no exact rule understood. */
export function understand(message: string, text: string, readings: Classification[] = classify(message)): Command {
  const [best, second] = readings;
  if (!best || best.label === 'None') return { intent: 'help', reason: 'notUnderstood' };
  if (best.score >= CONFIDENT) {
    const c = commandFor(best.label, message, text);
    return c.intent === 'clarify' && best.score < SURE ? { intent: 'help', reason: 'notUnderstood' } : c;
  }
  if (best.score < PLAUSIBLE || !second || second.label === 'None' || second.score < PLAUSIBLE / 2) {
    return best.score >= PLAUSIBLE ? commandFor(best.label, message, text) : { intent: 'help', reason: 'notUnderstood' };
  }
  const options = [commandFor(best.label, message, text), commandFor(second.label, message, text)]
    .map((c) => (c.intent === 'clarify' ? undefined : phraseFor(c)))
    .filter((p): p is string => !!p);
  if (options.length < 2 || options[0] === options[1]) return commandFor(best.label, message, text);
  return { intent: 'clarify', question: 'Did you mean one of these?', options };
}
