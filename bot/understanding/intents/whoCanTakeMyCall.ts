/** whoCanTakeMyCall: the delegates free to answer the user's calls right now. */
import { always, phrasings } from './phrasings';

export const whoCanTakeMyCall = phrasings({
  intent: 'whoCanTakeMyCall',
  patterns: [
    /\bwho (?:can|could|is able to|s able to|is free to|s free to|is available to|s available to) (?:take|answer|pick up|handle|get) (?:my|a|the) calls?\b/,
    /\b(?:anyone|anybody|someone|somebody) (?:available|free|around) (?:to )?(?:take|answer|pick up) (?:my )?calls?\b/,
    /^(?:whos|who is) (?:available|reachable|around) (?:for|to take) (?:my )?calls?$/,
  ],
  command: always({ intent: 'whoCanTakeMyCall' }),
});
