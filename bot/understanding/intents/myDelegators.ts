/** myDelegators: the people whose calls the user handles. */
import { DELEGATE } from '../words';
import { always, phrasings } from './phrasings';

/** Before myDelegates in the table: "who am I a delegate for" mentions "delegate". */
export const myDelegators = phrasings({
  intent: 'myDelegators',
  patterns: [
    new RegExp(`\\bwho (?:am i|im) (?:a |the )?${DELEGATE} (?:for|of)\\b`),
    /^(?:my|show my|list my|show me my|who are my) (?:delegators|managers|executives|bosses)$/,
    /^(?:delegators|my delegators)$/,
    /\bwhose calls? (?:can|do|should|may) i (?:take|answer|handle|pick up|cover)\b/,
    /\bwho (?:do|can) i (?:cover|take calls|answer calls|handle calls)(?: for)?\b/,
    /\bwho (?:delegated|delegates) (?:to me|their calls to me)\b/,
    /\bfor whom am i a delegate\b/,
    new RegExp(
      `\\b(?:who|which \\w+) (?:has|have) (?:made|named|set up|added|chosen|picked) me (?:as )?(?:their |a |his |her )?${DELEGATE}\\b`,
    ),
  ],
  command: always({ intent: 'myDelegators' }),
});
