/** Calls to the tab's own server. The browser holds only the SSO token, never a Graph token. */
import type { DelegationView } from '../../shared/domain/delegationView';
import type { ApiError, LiveStatus, LiveTicket, TabConfig, WatchList, WatchRequest, WatchResult } from '../../shared/api';
import type { TabError } from './errors';

/** An error answer of the tab API (its body is shared/api.ts' ApiError). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: TabError,
  ) {
    super(body.message);
  }
}

export async function fetchConfig(): Promise<TabConfig> {
  const res = await fetch('/api/config');
  if (!res.ok) throw new Error(`/api/config answered ${res.status}`);
  return (await res.json()) as TabConfig;
}

/** The view; `fresh` asks the server to read the delegation lists from Graph rather than its cache. */
export async function fetchDelegation(token: string, opts: { fresh?: boolean } = {}): Promise<DelegationView> {
  const res = await fetch(opts.fresh ? '/api/delegation?fresh=1' : '/api/delegation', { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({ error: { code: 'network', message: 'The server could not be reached.' } }))) as
      ApiError | { error: TabError };
    throw new ApiRequestError(res.status, body.error);
  }
  return (await res.json()) as DelegationView;
}

/** Asks the server to forget my cached delegations, so the next load reads them from Graph. */
export async function forgetDelegation(token: string): Promise<void> {
  await fetch('/api/delegation/refresh', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
}

export async function fetchPhoto(token: string, id: string): Promise<string | null> {
  const res = await fetch(`/api/people/${id}/photo`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) return null;
  return URL.createObjectURL(await res.blob());
}

/** The server does not offer live presence (an older server, or one where it is switched off). */
export class LiveUnsupportedError extends Error {}

const isLiveStatus = (s: unknown): s is LiveStatus =>
  typeof s === 'object' && s !== null && ((s as LiveStatus).mode === 'live' || (s as LiveStatus).mode === 'paused');

/**
 * A single-use ticket for the push stream (the SSO token never goes in a URL). Getting one also renews
 * my Graph subscription with this fresh token, as a heartbeat does.
 */
export async function fetchLiveTicket(token: string): Promise<LiveTicket> {
  const res = await fetch('/api/live/ticket', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  if (res.status === 404 || res.status === 405 || res.status === 501)
    throw new LiveUnsupportedError(`/api/live/ticket answered ${res.status}`);
  if (!res.ok) throw new Error(`/api/live/ticket answered ${res.status}`);
  const body = (await res.json()) as Partial<LiveTicket>;
  if (typeof body.ticket !== 'string' || !body.ticket || !isLiveStatus(body.status))
    throw new Error('/api/live/ticket answered without a ticket');
  return body as LiveTicket;
}

/** Keeps my Graph subscription alive: it can only be renewed with a fresh delegated token. */
export async function sendLiveHeartbeat(token: string): Promise<LiveStatus> {
  const res = await fetch('/api/live/heartbeat', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  if (res.status === 404 || res.status === 405 || res.status === 501)
    throw new LiveUnsupportedError(`/api/live/heartbeat answered ${res.status}`);
  if (!res.ok) throw new Error(`/api/live/heartbeat answered ${res.status}`);
  const body = (await res.json()) as { status?: unknown };
  if (!isLiveStatus(body.status)) throw new Error('/api/live/heartbeat answered without a status');
  return body.status;
}

/** The push stream's URL for a ticket. */
export const liveStreamUrl = (ticket: string) => `/api/live/stream?ticket=${encodeURIComponent(ticket)}`;

async function apiError(res: Response): Promise<ApiRequestError> {
  const body = (await res.json().catch(() => null)) as ApiError | null;
  return new ApiRequestError(
    res.status,
    body?.error && typeof body.error.code === 'string'
      ? body.error
      : { code: res.status >= 500 ? 'unavailable' : 'internal', message: `Delegate Desk's server answered ${res.status}.` },
  );
}

/** The people I asked to be told about ("tell me when Alex is free"). */
export async function fetchWatches(token: string): Promise<WatchList> {
  const res = await fetch('/api/watches', { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw await apiError(res);
  const body = (await res.json()) as Partial<WatchList>;
  return { watches: Array.isArray(body.watches) ? body.watches : [], limit: typeof body.limit === 'number' ? body.limit : 0 };
}

/** Asks the bot to message me in chat when the person is available (or says they already are). */
export async function createWatch(token: string, request: WatchRequest): Promise<WatchResult> {
  const res = await fetch('/api/watches', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!res.ok) throw await apiError(res);
  return (await res.json()) as WatchResult;
}

/** Stops waiting for a person; a watch that is already gone (fired, expired) is not an error. */
export async function deleteWatch(token: string, personId: string): Promise<void> {
  const res = await fetch(`/api/watches/${encodeURIComponent(personId)}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok && res.status !== 404) throw await apiError(res);
}

export type { DelegationView, LiveStatus, LiveTicket, TabConfig, WatchList, WatchResult };
