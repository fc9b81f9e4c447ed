/**
 * What a chat message asks for, without a language model: folded, typo-corrected text matched
 * against phrasings of each intent. Pure: no bot framework, no Graph.
 */
import { correct, fold, tokenize } from './text';

export type StatusAvailability = 'Available' | 'Busy' | 'DoNotDisturb' | 'BeRightBack' | 'Away' | 'Offline';

export type Command =
  | { intent: 'myDelegates' }
  | { intent: 'myDelegators' }
  | { intent: 'whoCanTakeMyCall' }
  | { intent: 'presence'; name: string }
  | { intent: 'call'; target: CallTarget; video: boolean }
  | { intent: 'meetNow'; target: MeetTarget }
  | { intent: 'setStatus'; availability?: StatusAvailability; message?: string; durationMinutes?: number }
  | { intent: 'clearStatus' }
  | { intent: 'help'; reason: 'asked' | 'greeting' | 'thanks' | 'notUnderstood' };

export type CallTarget = { kind: 'myDelegate' } | { kind: 'person'; name: string };
export type MeetTarget = { kind: 'myDelegates' } | { kind: 'person'; name: string };

interface Prepared {
  /** Folded, corrected tokens joined by single spaces: what patterns match. */
  text: string;
  /** The original tokens (case and accents kept), index-aligned with text's tokens. */
  original: string[];
}

function prepare(message: string): Prepared {
  const original = tokenize(message);
  const tokens = original.map((t) => correct(fold(t).replace(/'/g, '')));
  return { text: tokens.join(' '), original };
}

/** Maps a capture group back to the user's own spelling of those words. */
function span(p: Prepared, match: RegExpExecArray, group: number): string {
  const value = match[group];
  if (value === undefined) return '';
  // Where the group itself starts (the 'd' flag's indices): its words may also occur earlier in the match,
  // as "al" does in "call al".
  const start = match.indices?.[group]?.[0] ?? match.index + match[0].indexOf(value);
  const first = p.text.slice(0, start).split(' ').length - 1;
  const count = value.trim().split(' ').length;
  return p.original
    .slice(first, first + count)
    .join(' ')
    .replace(/'s$/i, '')
    .replace(/^@/, '')
    .trim();
}

const ME = '(?:me|my|mine|i|im)';
const DELEGATE = '(?:delegates?|assistants?)';
const FILLER = /^(?:please |hey |hi |ok |okay |so |can you |could you |would you |will you |pls |bot )+|(?: please| pls| thanks| thank you| now| right now| today| asap)+$/;
const GREETING = /^(?:hello|hi|hey|hiya|good (?:morning|afternoon|evening)|yo|greetings)(?: there| bot| everyone)?$/;
const NOT_A_NAME = new Set(['my delegate', 'my delegates', 'delegate', 'delegates', 'my assistant', 'my assistants', 'me', 'my', 'him', 'her', 'them', 'someone', 'anyone', 'everyone', 'it', 'my manager', 'my managers', 'you']);

function asName(name: string): string | undefined {
  const n = fold(name).trim();
  if (!n || NOT_A_NAME.has(n) || n.split(' ').length > 4) return undefined;
  return name;
}

function duration(text: string): number | undefined {
  const m = /\bfor (?:(an?|one|\d+|two|three|half an?) )?(minutes?|mins?|hours?|hrs?|h|m)\b/.exec(text);
  if (!m) return undefined;
  const words: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3 };
  const raw = m[1] ?? 'a';
  const n = raw.startsWith('half') ? 0.5 : (words[raw] ?? Number(raw));
  const unit = m[2]!.startsWith('h') ? 60 : 1;
  return Math.round(n * unit);
}

const AVAILABILITY_WORDS: Array<[RegExp, StatusAvailability]> = [
  [/\b(?:do not disturb|dnd|dont disturb)\b/, 'DoNotDisturb'],
  [/\b(?:be right back|brb)\b/, 'BeRightBack'],
  [/\b(?:busy|in a call|on a call)\b/, 'Busy'],
  [/\b(?:away|out|afk)\b/, 'Away'],
  [/\b(?:offline|invisible|appear offline)\b/, 'Offline'],
  [/\b(?:available|free|online|back)\b/, 'Available'],
];

function availabilityIn(text: string): StatusAvailability | undefined {
  return AVAILABILITY_WORDS.find(([re]) => re.test(text))?.[1];
}

const indexed = new WeakMap<RegExp, RegExp>();
/** The same pattern with the 'd' flag, so a match knows where each group starts. */
function withIndices(re: RegExp): RegExp {
  let r = indexed.get(re);
  if (!r) {
    r = re.flags.includes('d') ? re : new RegExp(re.source, `${re.flags}d`);
    indexed.set(re, r);
  }
  return r;
}

export function parseCommand(message: string): Command {
  const p = prepare(message);
  if (GREETING.test(p.text)) return { intent: 'help', reason: 'greeting' };
  const t = p.text.replace(FILLER, '').replace(FILLER, '').trim();
  // Index offsets must refer to p.text; re-base by the removed prefix.
  const offset = p.text.indexOf(t);
  const exec = (re: RegExp): RegExpExecArray | null => {
    const m = withIndices(re).exec(t);
    if (m) {
      m.index += offset;
      if (m.indices) for (const pair of m.indices) if (pair) pair.splice(0, 2, pair[0] + offset, pair[1] + offset);
    }
    return m;
  };
  const nameOf = (m: RegExpExecArray, g: number) => asName(span(p, m, g));

  if (!t) return { intent: 'help', reason: 'notUnderstood' };

  // Help, greetings, thanks.
  if (/^(?:help|help me|\?|what can you do|what do you do|commands|menu|how does this work|options)$/.test(t)) return { intent: 'help', reason: 'asked' };
  if (/^(?:thanks?|thank you|thx|ty|cheers|great thanks|ok thanks|perfect thanks)(?: a lot| so much| very much)?$/.test(t)) return { intent: 'help', reason: 'thanks' };

  // Status changes.
  if (/\b(?:clear|reset|remove|delete) (?:my )?(?:status|status message|presence)\b/.test(t)) return { intent: 'clearStatus' };
  let m = exec(/\bset (?:my )?status (?:message )?(?:to|as) (.+)$/);
  if (m) {
    const rest = m[1]!;
    const availability = availabilityIn(rest);
    // The message as the person typed it, punctuation included ("Back at 3:30, call 555-1234").
    const typed = /\bstatus (?:message )?(?:to|as)\s+(.+)$/i.exec(message.replace(/<at>.*?<\/at>/gi, ' ').trim())?.[1];
    const quoted = /^["“]?(.+?)["”]?$/.exec(typed?.trim() ?? span(p, m, 1))?.[1];
    // "set my status to busy (for an hour)" sets presence; anything else is a status message.
    const bare = rest.replace(/ for (?:(?:an?|one|\d+|two|three|half an?) )?(?:minutes?|mins?|hours?|hrs?|h|m)\b.*$/, '');
    const isOnlyAvailability = AVAILABILITY_WORDS.some(([re]) => new RegExp(`^(?:${re.source.replace(/\\b/g, '')})$`).test(bare));
    return {
      intent: 'setStatus',
      ...(isOnlyAvailability ? { availability } : { message: quoted }),
      ...(duration(rest) ? { durationMinutes: duration(rest) } : {}),
    };
  }
  m = exec(/^(?:set me (?:to|as)|mark me (?:as)?|make me|im|i am|put me (?:on|in|as)|show me as|appear) (do not disturb|dnd|busy|away|available|free|offline|be right back|brb|back|online|invisible)(?: (?:for .+|until .+))?$/);
  if (m) {
    const availability = availabilityIn(m[1]!)!;
    const minutes = duration(t);
    return { intent: 'setStatus', availability, ...(minutes ? { durationMinutes: minutes } : {}) };
  }

  // Who can take my call now.
  if (/\bwho (?:can|could|is able to|s able to|is free to|s free to|is available to|s available to) (?:take|answer|pick up|handle|get) (?:my|a|the) calls?\b/.test(t) ||
      /\b(?:anyone|anybody|someone|somebody) (?:available|free|around) (?:to )?(?:take|answer|pick up) (?:my )?calls?\b/.test(t) ||
      /^(?:whos|who is) (?:available|reachable|around) (?:for|to take) (?:my )?calls?$/.test(t)) {
    return { intent: 'whoCanTakeMyCall' };
  }

  // My delegators (check before delegates: "who am I a delegate for" mentions "delegate").
  if (new RegExp(`\\bwho (?:am i|im) (?:a |the )?${DELEGATE} (?:for|of)\\b`).test(t) ||
      /\b(?:my|show my|list my|show me my) (?:delegators|managers|executives|bosses)\b/.test(t) ||
      /^(?:delegators|my delegators)$/.test(t) ||
      /\bwhose calls? (?:can|do|should|may) i (?:take|answer|handle|pick up|cover)\b/.test(t) ||
      /\bwho (?:do|can) i (?:cover|take calls|answer calls|handle calls)(?: for)?\b/.test(t) ||
      /\bwho (?:delegated|delegates) (?:to me|their calls to me)\b/.test(t) ||
      /\bfor whom am i a delegate\b/.test(t)) {
    return { intent: 'myDelegators' };
  }

  // Meet now.
  m = exec(/^(?:meet now|meet|start a meeting|set up a meeting|create a meeting|schedule a meeting|new meeting|quick meeting|meeting) (?:now )?with (.+?)(?: now)?$/);
  if (m) {
    const target = fold(m[1]!);
    if (new RegExp(`^(?:${ME} )?(?:all )?(?:of )?(?:my )?${DELEGATE}$`).test(target) || target === 'my team') return { intent: 'meetNow', target: { kind: 'myDelegates' } };
    const name = nameOf(m, 1);
    if (name) return { intent: 'meetNow', target: { kind: 'person', name } };
  }

  // Calls.
  const video = /\bvideo\b/.test(t);
  if (new RegExp(`^(?:start a |start |make a |place a |)(?:video |audio |voice |phone )?(?:call|ring|phone|dial) (?:to |with )?(?:${ME} )?(?:best |available )?${DELEGATE}$`).test(t) ||
      new RegExp(`^(?:video )?call (?:my )?(?:${DELEGATE})(?: (?:on|with) video)?$`).test(t.replace(/ (?:please|now)$/, ''))) {
    return { intent: 'call', target: { kind: 'myDelegate' }, video };
  }
  m = exec(/^(?:start a |start |make a |place a |set up a |)(?:video |audio |voice |phone |teams )?(?:call|ring|phone|dial|video call) (?:to |with )?(.+?)(?: on video| with video| by video| on teams)?$/);
  if (m) {
    const name = nameOf(m, 1);
    if (name) return { intent: 'call', target: { kind: 'person', name }, video };
  }

  // Presence of a person.
  const presencePatterns = [
    /^(?:is|are) (.+?) (?:available|free|online|around|busy|in a meeting|in a call|on a call|reachable|there|in today|in the office|out of office|ooo|away|back|at (?:her|his|their) desk)$/,
    /^(?:wheres|where is|where) (.+)$/,
    /^(?:whats|what is) (.+?) (?:status|presence|availability|doing|up to)$/,
    /^(?:whats|what is) (?:the )?(?:status|presence|availability) of (.+)$/,
    /^(?:status|presence|availability) (?:of|for) (.+)$/,
    /^(.+?) (?:status|presence|availability)$/,
    /^(?:can i (?:reach|call|talk to|get hold of)|how can i reach|check on|check) (.+?)(?: now)?$/,
    /^(?:is|are) (.+?) (?:free|available) (?:to talk|for a call|now)$/,
  ];
  // "where are my delegates" asks for them, with their presence; it is not a person called "are my delegates".
  if (new RegExp(`^(?:where|how) (?:are|is|re) (?:all )?(?:my|the) ${DELEGATE}(?: (?:now|today|right now))?$`).test(t)) return { intent: 'myDelegates' };
  for (const re of presencePatterns) {
    m = exec(re);
    if (m) {
      const name = nameOf(m, 1);
      if (name) return { intent: 'presence', name };
    }
  }

  // My delegates.
  if (new RegExp(`\\b(?:who (?:is|are|re)|whos) (?:${ME}|the) ${DELEGATE}\\b`).test(t) ||
      new RegExp(`^(?:show|list|get|display|see)? ?(?:me )?(?:all )?(?:of )?(?:my|the) ${DELEGATE}$`).test(t) ||
      new RegExp(`^${DELEGATE}$`).test(t) ||
      /\bwho (?:handles|answers|takes|covers|picks up|manages) (?:my )?calls?\b/.test(t) ||
      /\bwho (?:can|may) (?:make|place) calls (?:for|on behalf of) me\b/.test(t) ||
      new RegExp(`\\b(?:do i have|have i got) (?:a |any )?${DELEGATE}\\b`).test(t) ||
      new RegExp(`\\bwho (?:did i|have i) (?:delegate|delegated)\\b`).test(t)) {
    return { intent: 'myDelegates' };
  }

  if (/^(?:help|how|what)\b/.test(t)) return { intent: 'help', reason: 'asked' };
  return { intent: 'help', reason: 'notUnderstood' };
}
