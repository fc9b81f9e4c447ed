/** The tab: connects to Teams, follows its theme, loads the view, and turns errors into next steps. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { FluentProvider } from '@fluentui/react-components';
import type { DelegationEntry } from '../../shared/domain/delegationView';
import { fetchPhoto, type TabConfig } from './api';
import { callsAppDeepLink, type TeamsHost, type TeamsTheme } from './teams';
import { useDelegation } from './useDelegation';
import { useWatches, type WatchDeps } from './useWatches';
import type { LiveDeps, LiveMode } from './useLivePresence';
import { uiFor } from './errors';
import { installFocusRingBridge } from './focusRing';
import { DelegationPage } from './components/DelegationPage';
import { ErrorState, NotInTeams, type ErrorAction } from './components/States';
import { LoadingState } from './components/Loading';
import type { FirstLoad } from './boot';
import { rememberTheme, useTheme } from './themes';

/**
 * Where the consent popup opens. Teams only opens https URLs: in Teams that is our own /auth-start page;
 * on the local http host it is the sign-in page itself, which the local host serves without a warning.
 */
export function consentUrl(config: TabConfig, loginHint: string): string {
  if (location.protocol === 'https:')
    return `${location.origin}/auth-start?${new URLSearchParams({ loginHint, state: crypto.randomUUID() })}`;
  const q = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    redirect_uri: `${location.origin}/auth-end.html`,
    scope: config.consentScopes,
    prompt: 'consent',
    state: crypto.randomUUID(),
    ...(loginHint ? { login_hint: loginHint } : {}),
  });
  return `${config.authorizeUrl}?${q}`;
}

export interface AppProps {
  config: TabConfig;
  connect: () => Promise<TeamsHost>;
  photoFetcher?: typeof fetchPhoto;
  /** The live connection's pieces (stream factory, server calls, timers), for tests. */
  live?: Partial<LiveDeps>;
  watchDeps?: WatchDeps;
  /** How long a load may take before it is shown as failed (and retried). */
  loadTimeoutMs?: number;
  /** The first load's token and view, already asked for (boot.ts). */
  first?: FirstLoad;
  /** The theme shown until Teams says which it has. */
  theme?: TeamsTheme;
}

/** The time stale presence dates from, as the page says it ("10:02"). */
const timeWords = (iso: string | null) =>
  iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : 'an earlier time';

/** What the page offers tests in local development (never in Teams): see tests/live.e2e.test.ts. */
export interface LiveTestHook {
  /** Closes the push stream as if it had failed; it reconnects with backoff. */
  dropStream(): void;
  mode(): LiveMode;
}

declare global {
  interface Window {
    __delegateDeskLive?: LiveTestHook;
  }
}

export function App({
  config,
  connect,
  photoFetcher = fetchPhoto,
  live,
  watchDeps,
  loadTimeoutMs,
  first,
  theme: initialTheme = 'default',
}: AppProps) {
  const [host, setHost] = useState<TeamsHost | null>(null);
  const [notInTeams, setNotInTeams] = useState(false);
  const [theme, setTheme] = useState<TeamsTheme>(initialTheme);
  const shownTheme = useTheme(theme);
  const [photos, setPhotos] = useState<Record<string, string | null>>({});
  const pollSeconds = config.pollSeconds || 30;
  const data = useDelegation(host, pollSeconds * 1000, { live, timeoutMs: loadTimeoutMs, first });
  const watches = useWatches(host, data.token, watchDeps);

  // Local development only (the server names the local Teams host): a handle for the end-to-end tests.
  const liveNow = useRef(data.live);
  liveNow.current = data.live;
  useEffect(() => {
    if (!config.localHostOrigin) return;
    window.__delegateDeskLive = { dropStream: () => liveNow.current.dropStream(), mode: () => liveNow.current.mode };
    return () => {
      delete window.__delegateDeskLive;
    };
  }, [config.localHostOrigin]);

  useEffect(() => installFocusRingBridge(), []);

  // The next open paints its shell in this theme before Teams has answered.
  useEffect(() => rememberTheme(theme), [theme]);

  useEffect(() => {
    connect().then(
      (h) => {
        setTheme(h.theme);
        h.onThemeChange(setTheme);
        setHost(h);
      },
      () => setNotInTeams(true),
    );
  }, [connect]);

  // Photos are fetched once per person (with the SSO token) and kept as object URLs.
  useEffect(() => {
    if (!data.view || !data.token) return;
    const ids = [...data.view.delegates, ...data.view.delegators].map((e) => e.person.id).filter((id) => !(id in photos));
    if (ids.length === 0) return;
    setPhotos((p) => ({ ...p, ...Object.fromEntries(ids.map((id) => [id, null])) }));
    for (const id of ids) {
      photoFetcher(data.token, id).then(
        (url) => setPhotos((p) => ({ ...p, [id]: url })),
        () => undefined, // no photo: initials
      );
    }
  }, [data.view, data.token, photos, photoFetcher]);

  // Object URLs hold the image bytes until revoked.
  const latestPhotos = useRef(photos);
  latestPhotos.current = photos;
  useEffect(() => () => Object.values(latestPhotos.current).forEach((url) => url && URL.revokeObjectURL(url)), []);

  const actions = useMemo(
    () => ({
      onCall: (e: DelegationEntry, video: boolean) => void host?.startCall(e.person.userPrincipalName!, video),
      onChat: (e: DelegationEntry) => void host?.openChat(e.person.userPrincipalName!),
      onOpenCallsApp: () => void host?.openLink(callsAppDeepLink(host.tenantId || config.tenantId)).catch(() => undefined),
      onOpenLink: (url: string) => void host?.openLink(url).catch(() => undefined),
      watches,
    }),
    [host, watches, config.tenantId],
  );

  const showing = notInTeams ? 'notInTeams' : data.view && (!data.error || data.stale) ? 'page' : data.error ? 'error' : 'loading';
  // When the error (and the button that had focus) gives way to the data, focus goes to the page heading
  // rather than being lost, so keyboard and screen-reader users land on the answer.
  const shown = useRef(showing);
  useEffect(() => {
    const before = shown.current;
    shown.current = showing;
    if (before === 'error' && showing === 'page' && (!document.activeElement || document.activeElement === document.body)) {
      document.querySelector<HTMLElement>('main h1')?.focus();
    }
  }, [showing]);

  let body;
  if (showing === 'notInTeams') body = <NotInTeams localHostOrigin={config.localHostOrigin} />;
  else if (showing === 'page' && data.view) {
    const stale = data.stale || data.view.presenceStale;
    const asOf = stale ? timeWords(data.freshAt) : null;
    const why = (data.error?.message ?? 'Presence could not be refreshed.').trim();
    body = (
      <DelegationPage
        view={data.view}
        photos={photos}
        actions={actions}
        onRefresh={data.refresh}
        updates={{ mode: data.live.mode, pollSeconds }}
        asOf={asOf}
        banner={
          stale
            ? {
                intent: 'warning',
                title: 'Showing earlier information',
                message: `${/[.!?]$/.test(why) ? why : `${why}.`} Presence shown is from ${asOf}. Retrying automatically.`,
              }
            : undefined
        }
      />
    );
  } else if (showing === 'error' && data.error) {
    const next = uiFor(data.error.code).next;
    const action: ErrorAction =
      next === 'grantPermission' && host
        ? {
            label: 'Grant permission',
            run: () =>
              void host.authenticate(consentUrl(config, host.loginHint)).then(
                () => data.reload(),
                () => data.reload(),
              ),
          }
        : { label: next === 'signInAgain' ? 'Sign in again' : 'Try again', run: () => void data.reload() };
    // Where only an administrator can help, a retry button would only pretend.
    body = <ErrorState error={data.error} action={next === 'none' ? undefined : action} userPrincipalName={host?.loginHint} />;
  } else body = <LoadingState />;

  // Until the theme Teams asked for has loaded (the first time only), the one shown stays, or nothing.
  if (!shownTheme) return null;
  return (
    <FluentProvider theme={shownTheme.theme} style={{ minHeight: '100vh' }} data-theme={shownTheme.name}>
      {body}
    </FluentProvider>
  );
}
