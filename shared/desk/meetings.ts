/** Meet now: an online meeting created as the user. */
import type { SsoUser } from '../auth/ssoToken';
import { createOnlineMeeting } from '../graph/operations/meetings';
import type { DeskContext } from './context';

export interface Meetings {
  createMeeting(user: SsoUser, input: { subject?: string; attendeeIds?: string[] }): Promise<{ joinWebUrl: string; id: string }>;
}

export function meetings(ctx: DeskContext): Meetings {
  return {
    async createMeeting(user, input) {
      const m = await createOnlineMeeting(await ctx.graphFor(user), input);
      return { id: m.id ?? '', joinWebUrl: m.joinWebUrl ?? '' };
    },
  };
}
