/** Presence: many users at once (getPresencesByUserId, 650 ids per call, calls in parallel) and my own. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Presence } from '@microsoft/microsoft-graph-types';
import { chunk } from '../paging';
import { toDelegateDeskError } from '../errors';

export const MAX_PRESENCE_IDS = 650;

export type GraphPresence = Presence & {
  statusMessage?: { message?: { content?: string | null; contentType?: string } | null; expiryDateTime?: unknown } | null;
  workLocation?: { workLocationType?: string; source?: string } | null;
};

export async function getPresences(client: Client, ids: string[]): Promise<GraphPresence[]> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  if (unique.length === 0) return [];
  try {
    const pages = await Promise.all(
      chunk(unique, MAX_PRESENCE_IDS).map(
        (part) => client.api('/communications/getPresencesByUserId').post({ ids: part }) as Promise<{ value: GraphPresence[] }>,
      ),
    );
    return pages.flatMap((p) => p.value);
  } catch (e) {
    throw toDelegateDeskError(e, 'reading presence');
  }
}

export type PreferredAvailability = 'Available' | 'Busy' | 'DoNotDisturb' | 'BeRightBack' | 'Away' | 'Offline';
const PREFERRED_ACTIVITY: Record<PreferredAvailability, string> = {
  Available: 'Available',
  Busy: 'Busy',
  DoNotDisturb: 'DoNotDisturb',
  BeRightBack: 'BeRightBack',
  Away: 'Away',
  Offline: 'OffWork',
};

const isoMinutes = (m: number) => `PT${Math.max(1, Math.round(m))}M`;

export async function setPreferredPresence(
  client: Client,
  userId: string,
  availability: PreferredAvailability,
  durationMinutes?: number,
): Promise<void> {
  try {
    await client.api(`/users/${userId}/presence/setUserPreferredPresence`).post({
      availability,
      activity: PREFERRED_ACTIVITY[availability],
      ...(durationMinutes ? { expirationDuration: isoMinutes(durationMinutes) } : {}),
    });
  } catch (e) {
    throw toDelegateDeskError(e, 'changing your presence');
  }
}

export async function clearPreferredPresence(client: Client, userId: string): Promise<void> {
  try {
    await client.api(`/users/${userId}/presence/clearUserPreferredPresence`).post({});
  } catch (e) {
    throw toDelegateDeskError(e, 'clearing your presence');
  }
}

/** Sets (or with an empty message, clears) the status message; expiry is in UTC. */
export async function setStatusMessage(client: Client, userId: string, message: string, expiresAt?: Date): Promise<void> {
  try {
    await client.api(`/users/${userId}/presence/setStatusMessage`).post({
      statusMessage: {
        message: { content: message, contentType: 'text' },
        ...(expiresAt ? { expiryDateTime: { dateTime: expiresAt.toISOString().replace(/Z$/, ''), timeZone: 'UTC' } } : {}),
      },
    });
  } catch (e) {
    throw toDelegateDeskError(e, 'setting your status message');
  }
}
