/**
 * Loads the delegation view and keeps it fresh: presence by push while the live stream is up
 * (useLivePresence), otherwise polled while the tab is visible; the whole view re-read past the
 * server's delegation cache every minute while visible (delegation changes have no notifications);
 * nothing while hidden, and a reload when shown again. Keeps the last good data on throttling or
 * outages and retries with backoff.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { withPresence, type PresenceView } from '../../shared/domain/delegationView';
import { ApiRequestError, fetchDelegation, forgetDelegation, type DelegationView } from './api';
import { uiFor, type TabError } from './errors';
import type { TeamsHost } from './teams';
import type { FirstLoad } from './boot';
import { useLivePresence, type LiveDeps } from './useLivePresence';

/** How often the whole view is re-read with ?fresh=1 while visible, pushed or not. */
export const FRESH_RELOAD_MS = 60_000;
const REUSE_TOKEN_MS = 10_000;
/**
 * A load that has not answered by then is shown as a passing failure (stale data, or the outage message)
 * and retried, rather than leaving the skeleton or a "now" claim up while the server waits on Graph.
 */
export const LOAD_TIMEOUT_MS = 4_500;

const TOKEN_TIMEOUT_MS = 15_000;

const slowAnswer = (): TabError => ({ code: 'unavailable', message: 'Teams services are taking too long to answer.' });

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ApiRequestError(0, slowAnswer())), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What Teams' getAuthToken failure means. resourceDisabled and the like are set-up problems an
 * administrator must fix: retrying would not help.
 */
function hostFailure(e: unknown): TabError {
  const reason = e instanceof Error ? e.message : String(e);
  if (reason === 'resourceRequiresConsent')
    return { code: 'consentRequired', message: 'Delegate Desk needs your permission to read your call delegation settings and presence.' };
  if (/^(resourceDisabled|invalidResource|tokenRevoked|invalid_grant|unauthorized_client)/i.test(reason)) {
    return {
      code: 'ssoConfiguration',
      message: `Teams could not sign you in to Delegate Desk (${reason}). Ask your administrator to check the app's single sign-on set-up.`,
    };
  }
  return { code: 'network', message: 'Delegate Desk could not load your delegates.' };
}

export interface DelegationState {
  view: DelegationView | null;
  error: TabError | null;
  /** The last load failed transiently and the view shown is older. */
  stale: boolean;
  /** When the newest view whose presence was fresh was made (ISO), if any: what stale presence dates from. */
  freshAt: string | null;
  loading: boolean;
  token: string | null;
}

export interface DelegationDeps {
  fetcher?: typeof fetchDelegation;
  forget?: typeof forgetDelegation;
  /** The live connection's pieces (stream factory, server calls, timers), for tests. */
  live?: Partial<LiveDeps>;
  /** How long a load may take before it is shown as failed (and retried). */
  timeoutMs?: number;
  /** The first load's token and view, asked for while the page was still loading: the first load takes them. */
  first?: FirstLoad;
}

export function useDelegation(
  host: TeamsHost | null,
  pollMs: number,
  { fetcher = fetchDelegation, forget = forgetDelegation, live: liveDeps, timeoutMs = LOAD_TIMEOUT_MS, first }: DelegationDeps = {},
) {
  const [state, setState] = useState<DelegationState>({ view: null, error: null, stale: false, loading: true, token: null, freshAt: null });
  const claims = useRef<string | undefined>(undefined);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const failures = useRef(0);
  /** Taken by the first plain load; later ones (and a fresh or stepped-up one) ask again. */
  const preloaded = useRef(first);

  /** Each load's number: only the newest load's outcome is shown (an older poll may finish later). */
  const generation = useRef(0);
  const mounted = useRef(true);
  /** While Graph is throttled or down, polls wait for the retry instead of adding load. */
  const quietUntil = useRef(0);
  /** When the last load and the last fresh (?fresh=1) load started. */
  const lastLoad = useRef(0);
  const lastFresh = useRef(0);
  /**
   * Presence pushed since the newest load started (null when none is in flight): that load may have read
   * Graph before them, so they are applied again over its view.
   */
  const lastToken = useRef<{ token: string; at: number } | null>(null);
  /** A load is running: the poll clock waits for it (or its timeout) rather than start another. */
  const inFlight = useRef(false);
  const pushedDuringLoad = useRef<Array<{ id: string; presence: PresenceView }> | null>(null);

  const load = useCallback(
    async (opts: { fresh?: boolean } = {}) => {
      if (!host) return;
      clearTimeout(retryTimer.current);
      const mine = ++generation.current;
      const current = () => mounted.current && mine === generation.current;
      const started = Date.now();
      inFlight.current = true;
      lastLoad.current = started;
      if (opts.fresh) lastFresh.current = started;
      pushedDuringLoad.current = [];
      try {
        // Teams' token call has no deadline of its own: one that never answers would stop every later load.
        // With a step-up's claims Teams may be showing its sign-in (MFA) to the person: no deadline then.
        const early = !opts.fresh && !claims.current ? preloaded.current : undefined;
        preloaded.current = undefined;
        const asked = early?.token ?? host.getToken(claims.current);
        const token = await (claims.current ? asked : withTimeout(asked, TOKEN_TIMEOUT_MS));
        lastToken.current = { token, at: Date.now() };
        let view = await withTimeout(early?.view ?? fetcher(token, opts.fresh ? { fresh: true } : {}), timeoutMs);
        if (!current()) return;
        for (const p of pushedDuringLoad.current ?? []) view = withPresence(view, p.id, p.presence);
        pushedDuringLoad.current = null;
        failures.current = 0;
        quietUntil.current = 0;
        // A challenge's claims are for one step-up; later tokens come from Teams' cache as usual.
        claims.current = undefined;
        const fresh = view;
        setState((s) => ({
          view: fresh,
          error: null,
          stale: false,
          loading: false,
          token,
          freshAt: fresh.presenceStale ? s.freshAt : fresh.generatedAt,
        }));
      } catch (e) {
        if (!current()) return;
        pushedDuringLoad.current = null;
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
      } finally {
        if (mine === generation.current) inFlight.current = false;
      }
    },
    [host, fetcher, timeoutMs],
  );

  /** A pushed presence: applied to the view shown, and kept for the load in flight, if any. */
  const applyPresence = useCallback((id: string, presence: PresenceView) => {
    pushedDuringLoad.current?.push({ id, presence });
    setState((s) => (s.view ? { ...s, view: withPresence(s.view, id, presence) } : s));
  }, []);

  // The live connection's first ticket follows the first view at once: it reuses that load's token
  // rather than asking Teams again; later tickets and heartbeats ask Teams for a fresh one.
  const getToken = useCallback(async () => {
    const recent = lastToken.current;
    lastToken.current = null;
    if (recent && Date.now() - recent.at < REUSE_TOKEN_MS) return recent.token;
    if (!host) throw new Error('notInTeams');
    // With the claims of a pending challenge, as the loads ask for them.
    return host.getToken(claims.current);
  }, [host]);
  const hasView = state.view !== null;
  const live = useLivePresence({ enabled: host !== null && hasView, getToken, onPresence: applyPresence, deps: liveDeps });
  // Presence is polled while it is not pushed, and also while the view shown is older than it should be
  // (its banner says "Retrying automatically"): pushes bring changes only, not what could not be read.
  const needsPoll = useRef(true);
  needsPoll.current = !live.pushing || state.stale || Boolean(state.view?.presenceStale);

  // Push coming up or going down: read the view once. Going down, changes may have been missed; coming
  // up, a new subscription brings only later changes (the server then reads presence from Graph again).
  const wasPushing = useRef(live.pushing);
  useEffect(() => {
    if (wasPushing.current === live.pushing) return;
    wasPushing.current = live.pushing;
    if (document.visibilityState === 'visible' && Date.now() >= quietUntil.current) void load();
  }, [live.pushing, load]);

  useEffect(() => {
    if (!host) return;
    mounted.current = true;
    lastFresh.current = Date.now();
    void load();
    // One clock for both: the presence poll (only while push is down) and the fresh reload every minute.
    const tick = Math.min(pollMs, FRESH_RELOAD_MS);
    const slack = tick / 2;
    const poll = setInterval(() => {
      if (document.visibilityState !== 'visible' || Date.now() < quietUntil.current || inFlight.current) return;
      const now = Date.now();
      if (now - lastFresh.current >= FRESH_RELOAD_MS - slack) void load({ fresh: true });
      else if (needsPoll.current && now - lastLoad.current >= pollMs - slack) void load();
    }, tick);
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
    await load({ fresh: true });
  }, [host, forget, load]);

  return { ...state, reload: load, refresh, live };
}
