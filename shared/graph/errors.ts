/** Maps Graph's error envelope (as @microsoft/microsoft-graph-client reports it) to the module's typed errors. */
import { GraphError } from '@microsoft/microsoft-graph-client';
import {
  DelegateDeskError,
  DelegationDisabledError,
  GraphForbiddenError,
  GraphNotFoundError,
  GraphRequestError,
  GraphThrottledError,
  GraphUnauthorizedError,
  GraphUnavailableError,
} from '../errors';
import { retryAfterMs } from './retry';

interface Envelope {
  code?: string;
  message?: string;
  innerError?: { code?: string };
  innererror?: { code?: string };
}

function envelope(e: GraphError): Envelope {
  try {
    const parsed = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    return (parsed?.error ?? {}) as Envelope;
  } catch {
    return {};
  }
}

/** "API requires one of 'A, B'." → ['A', 'B']. */
export function missingPermissionsFrom(message: string): string[] {
  const m = /requires one of '([^']+)'/i.exec(message);
  return m
    ? m[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

export function toDelegateDeskError(e: unknown, what: string): DelegateDeskError {
  if (e instanceof DelegateDeskError) return e;
  if (!(e instanceof GraphError)) return new GraphUnavailableError(`Microsoft Graph could not be reached while ${what}.`, { cause: e });
  const env = envelope(e);
  const code = env.code ?? e.code ?? undefined;
  const inner = env.innerError?.code ?? env.innererror?.code;
  const message = env.message ?? e.message;
  const status = e.statusCode;
  if (status === 429) {
    const ra = retryAfterMs(e.headers?.get('retry-after') ?? null);
    return new GraphThrottledError(`Microsoft Graph is throttling requests while ${what}.`, ra === undefined ? undefined : ra / 1000, {
      cause: e,
    });
  }
  if (status === 503 || status === 504 || status === 502 || status === -1)
    return new GraphUnavailableError(`Microsoft Graph is unavailable while ${what}.`, { cause: e });
  if (status === 401) return new GraphUnauthorizedError(`Microsoft Graph refused the token while ${what}.`, { cause: e });
  if (status === 403) {
    if (inner === 'CallDelegationNotAllowedByPolicy' || /AllowDelegation|calling policy/i.test(message)) {
      return new DelegationDisabledError('Call delegation is turned off for this user by the Teams calling policy.', { cause: e });
    }
    return new GraphForbiddenError(`Microsoft Graph refused access while ${what}: ${message}`, missingPermissionsFrom(message), {
      cause: e,
    });
  }
  if (status === 404) return new GraphNotFoundError(`Not found while ${what}.`, { cause: e });
  if (status >= 500) return new GraphUnavailableError(`Microsoft Graph failed while ${what}.`, { cause: e });
  return new GraphRequestError(`Microsoft Graph rejected a request while ${what}: ${message}`, status, code, { cause: e });
}
