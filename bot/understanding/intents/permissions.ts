/** permissions: what a delegate may do for the user, or what the user may do for an executive. */
import { phrasings } from './phrasings';

/** Before help's fallback: "what may Megan do" starts with "what". */
export const permissions = phrasings({
  intent: 'permissions',
  patterns: [
    /^(?:what are |show |show me |list )?(?:the )?(?:permissions|rights|access) (?:of|for) (.+)$/,
    /^what (?:can|may|is|are) (.+?) (?:do|allowed to do|able to do|permitted to do)(?: for me| on my behalf)?$/,
    /^what (?:can|may) i do (?:for|on behalf of) (.+)$/,
    /^what am i (?:allowed|permitted|able) to do (?:for|on behalf of) (.+)$/,
    /^(?:does|do|has) (.+?) (?:have|got) (?:any )?(?:delegate |delegation )?(?:rights|permissions)$/,
    // "Mateo rights?", "Megan's permissions".
    /^(.+?) (?:rights|permissions|access rights)$/,
  ],
  command(m, u) {
    const w = u.whom(m, 1);
    if (!w || w.kind === 'people') return undefined;
    return { intent: 'permissions', target: w };
  },
});
