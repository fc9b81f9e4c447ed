/** Online meetings ("meet now") and app-only calls. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { OnlineMeeting, Call } from '@microsoft/microsoft-graph-types';
import { toDelegateDeskError } from '../errors';

export async function createOnlineMeeting(client: Client, input: { subject?: string; attendeeIds?: string[]; minutes?: number }): Promise<OnlineMeeting> {
  const start = new Date();
  const end = new Date(start.getTime() + (input.minutes ?? 30) * 60_000);
  try {
    return (await client.api('/me/onlineMeetings').post({
      startDateTime: start.toISOString(),
      endDateTime: end.toISOString(),
      ...(input.subject ? { subject: input.subject } : {}),
      ...(input.attendeeIds?.length ? { participants: { attendees: input.attendeeIds.map((id) => ({ identity: { user: { id } }, role: 'attendee' })) } } : {}),
    })) as OnlineMeeting;
  } catch (e) {
    throw toDelegateDeskError(e, 'creating a meeting');
  }
}

/** A peer-to-peer call placed by the app (needs an app-only token with Calls.Initiate.All). */
export async function createCall(appClient: Client, input: { targetUserId: string; targetName?: string; callbackUri: string; tenantId: string; video?: boolean }): Promise<Call> {
  try {
    return (await appClient.api('/communications/calls').post({
      '@odata.type': '#microsoft.graph.call',
      callbackUri: input.callbackUri,
      targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: input.targetUserId, ...(input.targetName ? { displayName: input.targetName } : {}) } } }],
      requestedModalities: input.video ? ['audio', 'video'] : ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      tenantId: input.tenantId,
    })) as Call;
  } catch (e) {
    throw toDelegateDeskError(e, 'placing a call');
  }
}
