/**
 * The intent table: every phrasing, in the order tried; the first entry whose pattern matches and builds a
 * command wins. The order is the grammar: specific phrasings before the general ones they would also match.
 */
import { callMyDelegate, callPerson } from './call';
import { help, helpFallback, thanks } from './help';
import { meetNow } from './meetNow';
import { myDelegates, whereAreMyDelegates } from './myDelegates';
import { myDelegators } from './myDelegators';
import { cancelWatch, listWatches, notify } from './notify';
import type { AnyPhrasings } from './phrasings';
import { permissions } from './permissions';
import { groupPresence, presence } from './presence';
import { clearStatus, setMeTo, setStatusTo, statusColon } from './status';
import { whoCanTakeMyCall } from './whoCanTakeMyCall';

export { greeting } from './help';

export const INTENTS: AnyPhrasings[] = [
  help,
  thanks,
  notify, // "tell me when Megan is free" before presence, status and whoCanTakeMyCall words inside it
  listWatches, // "who am I watching" before myDelegators' "who am I"
  cancelWatch,
  clearStatus,
  setStatusTo,
  statusColon, // "status: Travelling" before presence's "… status"
  setMeTo,
  whoCanTakeMyCall,
  meetNow, // "meet now with …" before call
  permissions, // "what may I do for my executives" before myDelegators
  myDelegators, // "who am I a delegate for" before myDelegates' "delegate"
  callMyDelegate, // before callPerson: "my delegate" is no name
  callPerson,
  whereAreMyDelegates, // before presence's "where is …"
  presence,
  groupPresence,
  myDelegates,
];

/** Tried after the classifier found nothing: a question nothing else understood still reads as a request for help. */
export const FALLBACK: AnyPhrasings[] = [helpFallback];
