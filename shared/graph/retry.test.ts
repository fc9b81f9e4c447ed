import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs, DEFAULT_RETRY_POLICY } from './retry';
import { missingPermissionsFrom } from './errors';

describe('retry timing', () => {
  it('reads Retry-After as integer or decimal seconds, or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('2.128')).toBe(2128);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(250);
    expect(backoffMs(1, DEFAULT_RETRY_POLICY, () => 1)).toBe(500);
    expect(backoffMs(3, DEFAULT_RETRY_POLICY, () => 1)).toBe(2000);
    expect(backoffMs(20, DEFAULT_RETRY_POLICY, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it('finds the missing permissions in a Graph 403 message', () => {
    expect(missingPermissionsFrom("Missing scope permissions on the request. API requires one of 'Presence.Read.All, Presence.ReadWrite.All'. Scopes on the request 'User.Read'")).toEqual(['Presence.Read.All', 'Presence.ReadWrite.All']);
    expect(missingPermissionsFrom('Insufficient privileges to complete the operation.')).toEqual([]);
  });
});
