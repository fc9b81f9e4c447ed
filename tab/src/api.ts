/** Calls to the tab's own server. The browser holds only the SSO token, never a Graph token. */
import type { DelegationView } from '../../shared/domain/delegationView';
import type { ApiError, TabConfig } from '../../shared/api';
import type { TabError } from './errors';

/** An error answer of the tab API (its body is shared/api.ts' ApiError). */
export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly body: TabError) {
    super(body.message);
  }
}

export async function fetchConfig(): Promise<TabConfig> {
  const res = await fetch('/api/config');
  if (!res.ok) throw new Error(`/api/config answered ${res.status}`);
  return (await res.json()) as TabConfig;
}

export async function fetchDelegation(token: string): Promise<DelegationView> {
  const res = await fetch('/api/delegation', { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({ error: { code: 'network', message: 'The server could not be reached.' } }))) as ApiError | { error: TabError };
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

export type { DelegationView, TabConfig };
