/** Call delegation (beta): my delegates and my delegators. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { DelegationSettings } from '@microsoft/microsoft-graph-types-beta';
import { collectAll, type Collection } from '../paging';
import { toDelegateDeskError } from '../errors';

export type Side = 'delegates' | 'delegators';

async function list(client: Client, side: Side): Promise<DelegationSettings[]> {
  try {
    const first = (await client.api(`/me/communications/callSettings/${side}`).version('beta').get()) as Collection<DelegationSettings>;
    return await collectAll(client, first);
  } catch (e) {
    throw toDelegateDeskError(e, `reading your ${side}`);
  }
}

export const listDelegates = (client: Client) => list(client, 'delegates');
export const listDelegators = (client: Client) => list(client, 'delegators');
