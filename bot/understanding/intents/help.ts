/** help: asked for, greetings and thanks (answered with the help card too). */
import { always, phrasings } from './phrasings';

/** Tried on the whole message, before filler is dropped: "hi" and "hey" are filler in front of anything else. */
export const greeting = /^(?:hello|hi|hey|hiya|good (?:morning|afternoon|evening)|yo|greetings)(?: there| bot| everyone)?$/;

export const help = phrasings({
  intent: 'help',
  patterns: [/^(?:help|help me|\?|what can you do|what do you do|commands|menu|how does this work|options)$/],
  command: always({ intent: 'help', reason: 'asked' }),
});

export const thanks = phrasings({
  intent: 'help',
  patterns: [/^(?:thanks?|thank you|thx|ty|cheers|great thanks|ok thanks|perfect thanks)(?: a lot| so much| very much)?$/],
  command: always({ intent: 'help', reason: 'thanks' }),
});

/** Last: a question nothing else understood still reads as a request for help. */
export const helpFallback = phrasings({
  intent: 'help',
  patterns: [/^(?:help|how|what)\b/],
  command: always({ intent: 'help', reason: 'asked' }),
});
