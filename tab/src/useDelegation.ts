/**
 * Loads the delegation view and keeps it fresh: polls while the tab is visible, pauses when hidden,
 * keeps the last good data on throttling or outages and retries with backoff.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, fetchDelegation, forgetDelegation, type ApiErrorBody, type DelegationView } from './api';
import type { TeamsHost } from './teams';

const TRANSIENT = new Set(['throttled', 'unavailable', 'authUnavailable', 'network']);

export interface DelegationState {
  view: DelegationView | null;
  error: ApiErrorBody | null;
  /** The last load failed transiently and the view shown is older. */
  stale: boolean;
  loading: boolean;
  token: string | null;
}

export function useDelegation(host: TeamsHost | null, pollMs: number, fetcher = fetchDelegation, forget = forgetDelegation) {
  const [state, setState] = useState<DelegationState>({ view: null, error: null, stale: false, loading: true, token: null });
  const claims = useRef<string | undefined>(undefined);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const failures = useRef(0);

  const load = useCallback(async () => {
    if (!host) return;
    clearTimeout(retryTimer.current);
    try {
      const token = await host.getToken(claims.current);
      const view = await fetcher(token);
      failures.current = 0;
      // A challenge's claims are for one step-up; later tokens come from Teams' cache as usual.
      claims.current = undefined;
      setState({ view, error: null, stale: false, loading: false, token });
    } catch (e) {
      const body: ApiErrorBody = e instanceof ApiError ? e.body : { code: e instanceof Error && e.message === 'resourceRequiresConsent' ? 'consentRequired' : 'network', message: 'Delegate Desk could not load your delegates.' };
      if (body.code === 'claimsChallenge') claims.current = body.claims;
      if (TRANSIENT.has(body.code)) {
        failures.current += 1;
        const delay = (body.retryAfterSeconds ?? Math.min(60, 5 * 2 ** (failures.current - 1))) * 1000;
        retryTimer.current = setTimeout(() => void load(), delay);
      }
      setState((s) => ({ ...s, error: body, stale: s.view !== null && TRANSIENT.has(body.code), loading: false }));
    }
  }, [host, fetcher]);

  useEffect(() => {
    if (!host) return;
    void load();
    const poll = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, pollMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(poll);
      clearTimeout(retryTimer.current);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [host, load, pollMs]);

  /** The person asked for fresh data (say, after adding a delegate in Teams): skip the server's cache. */
  const refresh = useCallback(async () => {
    if (!host) return;
    try {
      await forget(await host.getToken(claims.current));
    } catch {
      // The load that follows reports whatever is wrong.
    }
    await load();
  }, [host, forget, load]);

  return { ...state, reload: load, refresh };
}
