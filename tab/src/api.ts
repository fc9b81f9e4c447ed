/** Calls to the tab's own server. The browser holds only the SSO token, never a Graph token. */
import type { DelegationView } from '../../shared/domain/delegationView';

export interface TabConfig {
  clientId: string;
  tenantId: string;
  authorizeUrl: string;
  consentScopes: string;
  localHostOrigin: string | null;
  pollSeconds: number;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  reason?: string;
  scopes?: string[];
  claims?: string;
  retryAfterSeconds?: number;
  /** The server's reference for this failure, to give an administrator. */
  requestId?: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody) {
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
    const body = (await res.json().catch(() => ({ error: { code: 'network', message: 'The server could not be reached.' } }))) as { error: ApiErrorBody };
    throw new ApiError(res.status, body.error);
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

export type { DelegationView };
