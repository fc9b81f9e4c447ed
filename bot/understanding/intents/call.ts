/** call: a Teams call to the user's best available delegate, or to a person; "video" anywhere asks for video. */
import { DELEGATE, ME } from '../words';
import { phrasings } from './phrasings';

const video = (text: string) => /\bvideo\b/.test(text);

/** Before callPerson: "call my delegate" names no person. */
export const callMyDelegate = phrasings({
  intent: 'call',
  patterns: [
    new RegExp(
      `^(?:start a |start |make a |place a |)(?:video |audio |voice |phone )?(?:call|ring|phone|dial) (?:to |with )?(?:${ME} )?(?:best |available )?${DELEGATE}$`,
    ),
    new RegExp(`^(?:video )?call (?:my )?(?:${DELEGATE})(?: (?:on|with) video)?(?: please| now)?$`),
  ],
  command: (_m, u) => ({ intent: 'call', target: { kind: 'myDelegate' }, video: video(u.text) }),
});

export const callPerson = phrasings({
  intent: 'call',
  patterns: [
    /^(?:start a |start |make a |place a |set up a |)(?:video |audio |voice |phone |teams )?(?:call|ring|phone|dial|video call) (?:to |with )?(.+?)(?: on video| with video| by video| on teams)?$/,
  ],
  command(m, u) {
    const w = u.whom(m, 1);
    const v = video(u.text);
    if (w?.kind === 'person') return { intent: 'call', target: w, video: v };
    if (w?.kind === 'myDelegates') return { intent: 'call', target: { kind: 'myDelegate' }, video: v };
    if (w?.kind === 'myDelegators') return { intent: 'call', target: { kind: 'myDelegator' }, video: v };
    return undefined;
  },
});
