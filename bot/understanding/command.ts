/** What a chat message asks for: one variant per intent. understanding/intents/ and answers/intents/ hold one file per intent (family). */
import type { WatchCondition } from '../../shared/api';

export type StatusAvailability = 'Available' | 'Busy' | 'DoNotDisturb' | 'BeRightBack' | 'Away' | 'Offline';

export type Command =
  | { intent: 'myDelegates' }
  | { intent: 'myDelegators' }
  | { intent: 'whoCanTakeMyCall' }
  | { intent: 'presence'; name: string }
  /** The presence of the user's delegates, or of the people the user is a delegate for ("is my boss free"). */
  | { intent: 'groupPresence'; who: Relation }
  /** What a delegate may do for the user, or what the user may do for an executive. */
  | { intent: 'permissions'; target: PermissionsTarget }
  /** confirmed: the user pressed Confirm on the warning that the person is presenting, in Do not disturb or out of office. */
  | { intent: 'call'; target: CallTarget; video: boolean; confirmed?: boolean }
  | { intent: 'meetNow'; target: MeetTarget }
  | { intent: 'setStatus'; availability?: StatusAvailability; message?: string; durationMinutes?: number }
  | { intent: 'clearStatus' }
  /**
   * "Let me know when Alex is free": a watch on a person (or the user's delegate / executive), for a
   * number of minutes (none: to the end of the person's working day, at most 12 h). condition: free
   * (Available) unless the wording asks for "back" (at their desk again). reportExpiry: "… or tell me if
   * not": a short message when the watch ends unfired.
   */
  | { intent: 'notify'; target: CallTarget; condition: WatchCondition; durationMinutes?: number; reportExpiry?: boolean }
  /** "What am I waiting for": the user's watches. */
  | { intent: 'listWatches' }
  /** "Stop notifying me (about Alex)": one watch by name, or all of them. */
  | { intent: 'cancelWatch'; name?: string }
  | { intent: 'help'; reason: 'asked' | 'greeting' | 'thanks' | 'notUnderstood' }
  /** Not sure what was meant: a short question, with one button per reading (each a phrasing the rules parse exactly). */
  | { intent: 'clarify'; question: string; options: string[] };

export type Intent = Command['intent'];
/** The one variant of Command an intent's phrasings build and its answer receives. */
export type CommandOf<I extends Intent> = Extract<Command, { intent: I }>;

/** The user's two relationships: the people who cover for the user, and the people the user covers for. */
export type Relation = 'myDelegates' | 'myDelegators';

/** myDelegator: the best available of the people the user is a delegate for ("call my boss"). */
export type CallTarget = { kind: 'myDelegate' } | { kind: 'myDelegator' } | { kind: 'person'; name: string };
export type MeetTarget =
  { kind: 'myDelegates' } | { kind: 'myDelegators' } | { kind: 'person'; name: string } | { kind: 'people'; names: string[] };
export type PermissionsTarget = { kind: 'myDelegates' } | { kind: 'myDelegators' } | { kind: 'person'; name: string };
