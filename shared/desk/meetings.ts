/**
 * Meet now, created as the user. With attendees it is a calendar event with a Teams meeting: the
 * calendar API is the one that invites (Exchange sends each attendee the meeting request and puts it in
 * their calendar, so they get a notification and can join from Teams or Outlook), whereas
 * POST /me/onlineMeetings only makes a join link that nobody else hears of, and a group call started by a
 * teams-js deep link needs the tab's Teams client (the bot has none) and rings only people online now.
 * Needs delegated Calendars.ReadWrite. Without attendees, a bare online meeting (OnlineMeetings.ReadWrite).
 */
import type { SsoUser } from '../auth/ssoToken';
import { createMeetingEvent, createOnlineMeeting } from '../graph/operations/meetings';
import type { DeskContext } from './context';

export interface MeetingAttendee {
  displayName: string;
  /** Their email address; a user principal name is the primary address in most tenants. */
  address: string;
}

export interface Meetings {
  createMeeting(
    user: SsoUser,
    input: { subject: string; attendees?: MeetingAttendee[] },
  ): Promise<{ joinWebUrl: string; id: string; invited: MeetingAttendee[] }>;
}

export function meetings(ctx: DeskContext): Meetings {
  return {
    async createMeeting(user, input) {
      const graph = await ctx.graphFor(user);
      const attendees = (input.attendees ?? []).filter((a) => a.address.toLowerCase() !== user.upn.toLowerCase());
      if (!attendees.length) {
        const m = await createOnlineMeeting(graph, { subject: input.subject });
        return { id: m.id ?? '', joinWebUrl: m.joinWebUrl ?? '', invited: [] };
      }
      const e = await createMeetingEvent(graph, {
        subject: input.subject,
        attendees: attendees.map((a) => ({ address: a.address, name: a.displayName })),
        body: 'Started from Delegate Desk: join now in Teams.',
      });
      return { id: e.id ?? '', joinWebUrl: e.onlineMeeting?.joinUrl ?? '', invited: attendees };
    },
  };
}
