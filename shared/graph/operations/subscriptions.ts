/** Presence change subscriptions: create (≤650 users, 45–60 minutes), list, renew, reauthorize, delete. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Subscription } from '@microsoft/microsoft-graph-types';
import { toDelegateDeskError } from '../errors';
import { MAX_PRESENCE_IDS } from './presence';

export const MAX_SUBSCRIPTION_MINUTES = 60;

const expiry = (minutes: number) => new Date(Date.now() + Math.min(minutes, MAX_SUBSCRIPTION_MINUTES) * 60_000 - 5_000).toISOString();

export interface SubscriptionInput {
  userIds: string[];
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState: string;
  minutes?: number;
  /** Rich notifications: Graph encrypts the presence with this certificate (base64 DER). */
  encryption?: { certificate: string; certificateId: string };
}

export async function createPresenceSubscription(client: Client, input: SubscriptionInput): Promise<Subscription> {
  if (input.userIds.length === 0 || input.userIds.length > MAX_PRESENCE_IDS)
    throw new RangeError(`A presence subscription covers 1 to ${MAX_PRESENCE_IDS} users.`);
  try {
    return (await client.api('/subscriptions').post({
      changeType: 'updated',
      resource: `/communications/presences?$filter=id in (${input.userIds.map((i) => `'${i}'`).join(',')})`,
      notificationUrl: input.notificationUrl,
      ...(input.lifecycleNotificationUrl ? { lifecycleNotificationUrl: input.lifecycleNotificationUrl } : {}),
      expirationDateTime: expiry(input.minutes ?? MAX_SUBSCRIPTION_MINUTES),
      clientState: input.clientState,
      ...(input.encryption
        ? {
            includeResourceData: true,
            encryptionCertificate: input.encryption.certificate,
            encryptionCertificateId: input.encryption.certificateId,
          }
        : {}),
    })) as Subscription;
  } catch (e) {
    throw toDelegateDeskError(e, 'subscribing to presence');
  }
}

export async function renewSubscription(client: Client, id: string, minutes = MAX_SUBSCRIPTION_MINUTES): Promise<Subscription> {
  try {
    return (await client.api(`/subscriptions/${encodeURIComponent(id)}`).patch({ expirationDateTime: expiry(minutes) })) as Subscription;
  } catch (e) {
    throw toDelegateDeskError(e, 'renewing a presence subscription');
  }
}

export async function deleteSubscription(client: Client, id: string): Promise<void> {
  try {
    await client.api(`/subscriptions/${encodeURIComponent(id)}`).delete();
  } catch (e) {
    throw toDelegateDeskError(e, 'removing a presence subscription');
  }
}

/** The app's subscriptions for the signed-in user (delegated): to find one a 409 says exists. */
export async function listSubscriptions(client: Client): Promise<Subscription[]> {
  try {
    const page = (await client.api('/subscriptions').get()) as { value?: Subscription[] };
    return page.value ?? [];
  } catch (e) {
    throw toDelegateDeskError(e, 'listing presence subscriptions');
  }
}

/** After reauthorizationRequired: deliveries resume (Graph pauses them until then). */
export async function reauthorizeSubscription(client: Client, id: string): Promise<void> {
  try {
    await client.api(`/subscriptions/${encodeURIComponent(id)}/reauthorize`).post({});
  } catch (e) {
    throw toDelegateDeskError(e, 'reauthorizing a presence subscription');
  }
}
