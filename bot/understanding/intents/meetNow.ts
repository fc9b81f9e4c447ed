/** meetNow: a Teams meeting now, with one person, several, all of the user's delegates or all the people the user covers for. */
import { fold } from '../text';
import { DELEGATE, ME } from '../words';
import { phrasings } from './phrasings';

const MY_DELEGATES = new RegExp(`^(?:${ME} )?(?:all )?(?:of )?(?:my )?${DELEGATE}$`);

/** Before call in the table: "meet now with Megan" is no call to "now with Megan". */
export const meetNow = phrasings({
  intent: 'meetNow',
  patterns: [
    /^(?:meet now|meet|start a meeting|set up a meeting|create a meeting|schedule a meeting|new meeting|quick meeting|meeting) (?:now )?with (.+?)(?: now)?$/,
  ],
  command(m, u) {
    const target = fold(m[1]!);
    if (MY_DELEGATES.test(target) || target === 'my team') return { intent: 'meetNow', target: { kind: 'myDelegates' } };
    const w = u.whom(m, 1);
    return w ? { intent: 'meetNow', target: w } : undefined;
  },
});
