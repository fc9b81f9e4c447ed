/** What a chat message asks for: one variant per intent. understanding/intents/ and answers/intents/ hold one file per intent (family). */
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

export type Intent = Command['intent'];
/** The one variant of Command an intent's phrasings build and its answer receives. */
export type CommandOf<I extends Intent> = Extract<Command, { intent: I }>;

export type CallTarget = { kind: 'myDelegate' } | { kind: 'person'; name: string };
export type MeetTarget = { kind: 'myDelegates' } | { kind: 'person'; name: string };
