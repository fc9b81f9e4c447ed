/** Online meetings ("meet now"). */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { OnlineMeeting } from '@microsoft/microsoft-graph-types';
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
