/** Meetings: "meet now" as a calendar event with a Teams meeting (invitations sent), or a bare online meeting. */
import { randomUUID } from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Event, OnlineMeeting } from '@microsoft/microsoft-graph-types';
import { toDelegateDeskError } from '../errors';

export async function createOnlineMeeting(
  client: Client,
  input: { subject?: string; attendeeIds?: string[]; minutes?: number },
): Promise<OnlineMeeting> {
  const start = new Date();
  const end = new Date(start.getTime() + (input.minutes ?? 30) * 60_000);
  try {
    return (await client.api('/me/onlineMeetings').post({
      startDateTime: start.toISOString(),
      endDateTime: end.toISOString(),
      ...(input.subject ? { subject: input.subject } : {}),
      ...(input.attendeeIds?.length
        ? { participants: { attendees: input.attendeeIds.map((id) => ({ identity: { user: { id } }, role: 'attendee' })) } }
        : {}),
    })) as OnlineMeeting;
  } catch (e) {
    throw toDelegateDeskError(e, 'creating a meeting');
  }
}

/** A calendar time in UTC, as the calendar API's dateTimeTimeZone wants it. */
const utc = (d: Date) => ({ dateTime: d.toISOString().slice(0, 19), timeZone: 'UTC' });

/**
 * POST /me/events with isOnlineMeeting (delegated Calendars.ReadWrite): Exchange sends every attendee
 * the invitation and puts the meeting in their calendar; the Teams join link is onlineMeeting.joinUrl.
 * transactionId makes a retried POST (after a timeout or a 5xx) the same event, not a second invitation.
 */
export async function createMeetingEvent(
  client: Client,
  input: { subject: string; attendees: Array<{ address: string; name: string }>; minutes?: number; body?: string },
): Promise<Event> {
  const start = new Date();
  const end = new Date(start.getTime() + (input.minutes ?? 30) * 60_000);
  try {
    return (await client.api('/me/events').post({
      subject: input.subject,
      ...(input.body ? { body: { contentType: 'text', content: input.body } } : {}),
      start: utc(start),
      end: utc(end),
      attendees: input.attendees.map((a) => ({ emailAddress: { address: a.address, name: a.name }, type: 'required' })),
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      allowNewTimeProposals: false,
      transactionId: randomUUID(),
    })) as Event;
  } catch (e) {
    throw toDelegateDeskError(e, 'creating a meeting');
  }
}
