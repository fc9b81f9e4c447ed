/** myDelegates: the user's delegates, with their presence and permissions. */
import { DELEGATE, ME } from '../words';
import { always, phrasings } from './phrasings';

/** Before presence in the table: "where are my delegates" asks for them, not for a person called "are my delegates". */
export const whereAreMyDelegates = phrasings({
  intent: 'myDelegates',
  patterns: [new RegExp(`^(?:where|how) (?:are|is|re) (?:all )?(?:my|the) ${DELEGATE}(?: (?:now|today|right now))?$`)],
  command: always({ intent: 'myDelegates' }),
});

export const myDelegates = phrasings({
  intent: 'myDelegates',
  patterns: [
    new RegExp(`\\b(?:who (?:is|are|re)|whos) (?:${ME}|the) ${DELEGATE}\\b`),
    new RegExp(`^(?:show|list|get|display|see)? ?(?:me )?(?:all )?(?:of )?(?:my|the) ${DELEGATE}$`),
    new RegExp(`^${DELEGATE}$`),
    /\bwho (?:handles|answers|takes|covers|picks up|manages) (?:my )?calls?\b/,
    /\bwho (?:can|may) (?:make|place) calls (?:for|on behalf of) me\b/,
    new RegExp(`\\b(?:do i (?:even |actually |really |still )?have|have i got) (?:a |any )?${DELEGATE}\\b`),
    new RegExp(`^(?:which|what) (?:\\w+ )?(?:are|is|re) (?:my|the) ${DELEGATE}$`),
    /\bwho (?:has|have|got) (?:the )?(?:rights?|permissions?|access) to (?:pick up|answer|take|handle) my (?:phone|calls?|line)\b/,
    new RegExp(`\\bwho (?:did i|have i) (?:delegate|delegated)\\b`),
  ],
  command: always({ intent: 'myDelegates' }),
});
