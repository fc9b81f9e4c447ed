/**
 * Loads the delegation view and keeps it fresh: polls while the tab is visible, pauses when hidden,
 * keeps the last good data on throttling or outages and retries with backoff.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError, fetchDelegation, forgetDelegation, type DelegationView } from './api';
import { uiFor, type TabError } from './errors';
import type { TeamsHost } from './teams';

/**
 * What Teams' getAuthToken failure means. resourceDisabled and the like are set-up problems an
 * administrator must fix: retrying would not help.
 */
function hostFailure(e: unknown): TabError {
  const reason = e instanceof Error ? e.message : String(e);
  if (reason === 'resourceRequiresConsent') return { code: 'consentRequired', message: 'Delegate Desk needs your permission to read your call delegation settings and presence.' };
  if (/^(resourceDisabled|invalidResource|tokenRevoked|invalid_grant|unauthorized_client)/i.test(reason)) {
    return { code: 'ssoConfiguration', message: `Teams could not sign you in to Delegate Desk (${reason}). Ask your administrator to check the app's single sign-on set-up.` };
  }
  return { code: 'network', message: 'Delegate Desk could not load your delegates.' };
}

export interface DelegationState {
  view: DelegationView | null;
  error: TabError | null;
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

  /** Each load's number: only the newest load's outcome is shown (an older poll may finish later). */
  const generation = useRef(0);
  const mounted = useRef(true);
  /** While Graph is throttled or down, polls wait for the retry instead of adding load. */
  const quietUntil = useRef(0);

  const load = useCallback(async () => {
    if (!host) return;
    clearTimeout(retryTimer.current);
    const mine = ++generation.current;
    const current = () => mounted.current && mine === generation.current;
    try {
      const token = await host.getToken(claims.current);
      const view = await fetcher(token);
      if (!current()) return;
      failures.current = 0;
      quietUntil.current = 0;
      // A challenge's claims are for one step-up; later tokens come from Teams' cache as usual.
      claims.current = undefined;
      setState({ view, error: null, stale: false, loading: false, token });
    } catch (e) {
      if (!current()) return;
      const body: TabError = e instanceof ApiRequestError ? e.body : hostFailure(e);
      if (body.code === 'claimsChallenge') claims.current = body.claims;
      if (uiFor(body.code).transient) {
        failures.current += 1;
        const delay = (body.retryAfterSeconds ?? Math.min(60, 5 * 2 ** (failures.current - 1))) * 1000;
        quietUntil.current = Date.now() + delay;
        retryTimer.current = setTimeout(() => {
          if (document.visibilityState === 'visible') void load();
        }, delay);
      }
      setState((s) => ({ ...s, error: body, stale: s.view !== null && uiFor(body.code).transient, loading: false }));
    }
  }, [host, fetcher]);

  useEffect(() => {
    if (!host) return;
    mounted.current = true;
    void load();
    const poll = setInterval(() => {
      if (document.visibilityState === 'visible' && Date.now() >= quietUntil.current) void load();
    }, pollMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      mounted.current = false;
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
