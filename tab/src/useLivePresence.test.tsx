// @vitest-environment jsdom
/**
 * Live presence in the tab: the App with a fake Teams host, fetch answered like the server, and the
 * live connection's own seams (a stream object shaped like EventSource, the ticket and heartbeat calls,
 * jitter) played by the test. Time is vitest's fake clock, advancing with real time so Testing
 * Library's waits still run.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { buildDelegationView, presenceView } from '../../shared/domain/delegationView';
import type { LiveStatus, LiveTicket } from '../../shared/api';
import { App } from './App';
import { TEST_CONFIG, testHost } from './testFixtures';
import { LIVE_TIMING, LiveConnection, type LiveDeps, type LiveStream } from './useLivePresence';

// jsdom has no ResizeObserver; Fluent's MessageBar measures itself with one.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const users = [
  { id: 'a', displayName: 'Ben Assist', userPrincipalName: 'ben@t', jobTitle: 'Assistant', department: 'Office' },
  { id: 'b', displayName: 'Cleo Assist', userPrincipalName: 'cleo@t', jobTitle: null, department: null },
  { id: 'c', displayName: 'Ada Exec', userPrincipalName: 'ada@t', jobTitle: 'CEO', department: 'Board' },
];
const graphPresence = (id: string, availability: string, activity = availability) => ({
  id,
  availability,
  activity,
  outOfOfficeSettings: { isOutOfOffice: false, message: null },
});
const view = buildDelegationView({
  me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@t' },
  delegates: [
    { id: 'a', isActive: true, allowedActions: { receiveCalls: true } },
    { id: 'b', isActive: true, allowedActions: { receiveCalls: true } },
  ],
  delegators: [{ id: 'c', isActive: true, allowedActions: {} }],
  users,
  presences: [graphPresence('a', 'Available'), graphPresence('b', 'Away'), graphPresence('c', 'Busy', 'InAMeeting')],
});
const pushed = (availability: string, activity = availability) => presenceView(graphPresence('x', availability, activity))!;

const LIVE: LiveStatus = { mode: 'live', subscribed: 3, polled: 0, expiresAt: '2026-03-02T11:00:00Z' };
const TOO_OLD: LiveStatus = { mode: 'paused', reason: 'tokenTooOld' };

/** Our EventSource-shaped seam: the test opens it, fails it and sends its events. */
class FakeStream implements LiveStream {
  private listeners = new Map<string, Array<(e: MessageEvent) => void>>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  private emit(type: string, data?: unknown) {
    const event = new MessageEvent(type, data === undefined ? {} : { data: JSON.stringify(data) });
    act(() => (this.listeners.get(type) ?? []).forEach((l) => l(event)));
  }
  open() {
    this.emit('open');
  }
  fail() {
    this.emit('error');
  }
  status(status: LiveStatus) {
    this.emit('status', status);
  }
  presence(id: string, presence: ReturnType<typeof pushed> | null) {
    this.emit('presence', { id, presence });
  }
}

const config = TEST_CONFIG;
const fakeHost = () => testHost();

/** The server as the tab sees it: the view over fetch, the live calls and streams as seams. */
function server(opts: { status?: LiveStatus; heartbeatStatus?: LiveStatus } = {}) {
  const loads: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (String(url).includes('/photo')) return new Response(null, { status: 404 });
      // Watches ("notify me") are read once with the view; they are not loads of it.
      if (String(url).includes('/api/watches')) return new Response(JSON.stringify({ watches: [], limit: 10 }), { status: 200 });
      loads.push(String(url));
      return new Response(JSON.stringify(view), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
  const streams: FakeStream[] = [];
  let tickets = 0;
  /** When (on the fake clock) each ticket and heartbeat was asked for. */
  const ticketTimes: number[] = [];
  const heartbeatTimes: number[] = [];
  const getTicket = vi.fn(async (token: string): Promise<LiveTicket> => {
    expect(token).toBe('sso-token');
    ticketTimes.push(Date.now());
    tickets += 1;
    return { ticket: `ticket-${tickets}`, expiresInSeconds: 30, status: opts.status ?? LIVE };
  });
  const heartbeat = vi.fn(async (token: string) => {
    expect(token).toBe('sso-token');
    heartbeatTimes.push(Date.now());
    return opts.heartbeatStatus ?? LIVE;
  });
  const live: Partial<LiveDeps> = {
    getTicket,
    heartbeat,
    openStream: (url) => {
      const s = new FakeStream(url);
      streams.push(s);
      return s;
    },
    random: () => 0.5, // no jitter: the delays are exactly 1 s, 2 s, 4 s…
  };
  return {
    loads,
    streams,
    getTicket,
    heartbeat,
    ticketTimes,
    heartbeatTimes,
    live,
    ticketStatus: opts.status ?? LIVE,
    lastStream: () => streams.at(-1)!,
  };
}

const status = () => screen.getByRole('status', { name: /^Presence updates:/ });
const delegateCard = (name: string) => within(screen.getByRole('list', { name: 'My delegates' })).getByRole('group', { name });
/** Lets the promises the fake clock's timers started settle. */
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
/** Advances the fake clock in small steps until `done`; gives up after `maxMs`. */
async function advanceUntil(done: () => boolean, maxMs: number) {
  for (let waited = 0; !done() && waited <= maxMs; waited += 50) await advance(50);
  expect(done()).toBe(true);
}
/** The clock also advances with real time, so a delay is measured on it with this much room. */
const ROOM_MS = 300;
const expectDelay = (ms: number, expected: number) => {
  expect(ms).toBeGreaterThanOrEqual(expected);
  expect(ms).toBeLessThan(expected + ROOM_MS);
};

let visibility: DocumentVisibilityState = 'visible';
beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(document, 'visibilityState');
});

/** Renders the tab, waits for the view and the first stream, and opens it with the server's status. */
async function openLive(s: ReturnType<typeof server>, first: LiveStatus | null = LIVE) {
  render(<App config={config} connect={async () => fakeHost()} live={s.live} />);
  await screen.findByText('Ben Assist can take your call now.');
  await waitFor(() => expect(s.streams).toHaveLength(1));
  s.lastStream().open();
  if (first) s.lastStream().status(first);
  // Push coming up reads the view once more.
  const pushing = (first ?? s.ticketStatus).mode === 'live';
  await waitFor(() => expect(s.loads).toHaveLength(pushing ? 2 : 1));
}

describe('live presence in the tab', () => {
  it('applies pushed presence to the card and to "who can take my call now", and says Live', async () => {
    const s = server();
    await openLive(s);
    expect(s.streams[0]!.url).toBe('/api/live/stream?ticket=ticket-1');
    expect(status().textContent).toBe('Live');
    expect(status().getAttribute('aria-label')).toBe('Presence updates: Live');
    expect(s.loads).toEqual(['/api/delegation', '/api/delegation']); // push coming up reads the view once

    s.lastStream().presence('a', pushed('Busy', 'InACall'));
    expect(within(delegateCard('Ben Assist')).getByTestId('presence').textContent).toBe('Busy, in a call');
    expect(screen.getByTestId('now-summary').textContent).toMatch(/^Nobody can take your call right now/);
    expect(screen.queryByRole('list', { name: 'Delegates who can take your call now' })).toBeNull();

    s.lastStream().presence('B', pushed('Available')); // ids are compared without case, as Graph's
    expect(screen.getByTestId('now-summary').textContent).toBe('Cleo Assist can take your call now.');
    expect(within(delegateCard('Cleo Assist')).getByTestId('presence').textContent).toBe('Available');
    expect(s.loads).toHaveLength(2); // by push, not by reloading
  });

  it('keeps the presence shown when the server pushes none (it knows nothing of it yet)', async () => {
    const s = server();
    await openLive(s);
    s.lastStream().presence('a', null);
    expect(within(delegateCard('Ben Assist')).getByTestId('presence').textContent).toBe('Available');
    expect(screen.getByTestId('now-summary').textContent).toBe('Ben Assist can take your call now.');
  });

  it('keeps a push that arrives while a load is in flight over that load’s older data', async () => {
    const s = server();
    await openLive(s);
    expect(s.loads).toHaveLength(2);
    let answer!: () => void;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        s.loads.push(String(url));
        await new Promise<void>((r) => (answer = r));
        return new Response(JSON.stringify(view), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    document.dispatchEvent(new Event('visibilitychange')); // shown again: the view is reloaded
    await waitFor(() => expect(s.loads).toHaveLength(3));
    s.lastStream().presence('a', pushed('DoNotDisturb', 'Presenting'));
    await act(async () => answer());
    await waitFor(() => expect(within(delegateCard('Ben Assist')).getByTestId('presence').textContent).toBe('Do not disturb, presenting'));
    await advance(50);
    expect(within(delegateCard('Ben Assist')).getByTestId('presence').textContent).toBe('Do not disturb, presenting');
  });

  it('while Live, does not poll presence but re-reads the view with ?fresh=1 every minute', async () => {
    const s = server();
    await openLive(s);
    expect(s.loads).toHaveLength(2);
    await advance(40_000); // past one presence poll period
    expect(s.loads).toHaveLength(2);
    await advance(25_000);
    expect(s.loads.slice(2)).toEqual(['/api/delegation?fresh=1']);
    await advance(60_000);
    expect(s.loads.slice(2)).toEqual(['/api/delegation?fresh=1', '/api/delegation?fresh=1']);
  });

  it('while Live, keeps polling as long as the view shown is older than it should be', async () => {
    const s = server();
    await openLive(s);
    let stale = true;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        s.loads.push(String(url));
        return new Response(JSON.stringify({ ...view, presenceStale: stale }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }),
    );
    document.dispatchEvent(new Event('visibilitychange'));
    await screen.findByText('Showing earlier information');
    expect(status().textContent).toBe('Live');
    const from = s.loads.length;
    await advance(31_000);
    expect(s.loads.length).toBe(from + 1); // polled although pushed
    stale = false;
    await advanceUntil(() => screen.queryByText('Showing earlier information') === null, 31_000);
    const clean = s.loads.length;
    await advance(20_000); // pushed again, and before the next fresh reload: no poll
    expect(s.loads.length).toBe(clean);
  });

  it('switches to polling when the stream fails, and says so', async () => {
    const s = server();
    await openLive(s);
    expect(s.loads).toHaveLength(2);
    s.lastStream().fail();
    expect(s.streams[0]!.closed).toBe(true);
    expect(status().textContent).toBe('Updated every 30 s');
    expect(status().getAttribute('aria-label')).toBe('Presence updates: updated every 30 seconds');
    // Push going down reads the view at once (changes may have been missed), then polls every 30 s.
    await waitFor(() => expect(s.loads).toHaveLength(3));
    s.getTicket.mockRejectedValue(new Error('server down'));
    await advance(31_000);
    expect(s.loads).toHaveLength(4);
    await advance(30_000);
    expect(s.loads.length).toBeGreaterThanOrEqual(5);
    expect(status().textContent).toBe('Updated every 30 s');
  });

  it('reconnects with a new ticket each time, after 1 s, 2 s, 4 s…, and from 1 s again after a healthy stream', async () => {
    const s = server();
    await openLive(s);
    /** Fails the current stream and measures the time to the next ticket. */
    const failAndWait = async () => {
      const before = s.ticketTimes.length;
      const failedAt = Date.now();
      s.lastStream().fail();
      await advanceUntil(() => s.ticketTimes.length > before && s.streams.length > before, 40_000);
      return s.ticketTimes[before]! - failedAt;
    };
    expectDelay(await failAndWait(), 1_000);
    expect(s.lastStream().url).toBe('/api/live/stream?ticket=ticket-2');
    expectDelay(await failAndWait(), 2_000); // never opened: the backoff grows
    expectDelay(await failAndWait(), 4_000);
    expect(s.lastStream().url).toBe('/api/live/stream?ticket=ticket-4');
    // This one works: Live again, and its later failure starts the backoff over.
    s.lastStream().open();
    s.lastStream().status(LIVE);
    expect(status().textContent).toBe('Live');
    expectDelay(await failAndWait(), 1_000);
    expect(new Set(s.streams.map((x) => x.url)).size).toBe(5);
    expect(s.streams.slice(0, -1).every((x) => x.closed)).toBe(true);
  });

  it('says when live updates are paused because the sign-in is too old, and follows the status events', async () => {
    const s = server({ status: TOO_OLD });
    await openLive(s, null);
    expect(status().textContent).toBe('Live updates paused: your sign-in is too old to renew them. Updated every 30 s.');
    expect(status().getAttribute('aria-label')).toMatch(
      /^Presence updates: live updates paused, your sign-in is too old to renew them; updated every 30 seconds/,
    );
    s.lastStream().status(LIVE);
    expect(status().textContent).toBe('Live');
    s.lastStream().status({ mode: 'paused', reason: 'unavailable' });
    expect(status().textContent).toBe('Updated every 30 s');
  });

  it('sends a heartbeat every 5 minutes while visible; none while hidden, and renews when shown again', async () => {
    const s = server();
    await openLive(s);
    await advanceUntil(() => s.heartbeatTimes.length === 1, LIVE_TIMING.heartbeatMs + 1_000);
    expectDelay(s.heartbeatTimes[0]! - s.ticketTimes[0]!, LIVE_TIMING.heartbeatMs); // the ticket renewed too
    await advanceUntil(() => s.heartbeatTimes.length === 2, LIVE_TIMING.heartbeatMs + 1_000);
    expectDelay(s.heartbeatTimes[1]! - s.heartbeatTimes[0]!, LIVE_TIMING.heartbeatMs);
    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await advance(LIVE_TIMING.heartbeatMs + 1_000);
    expect(s.heartbeat).toHaveBeenCalledTimes(2);
    // Hidden for over a minute: the stream was closed too; shown again, it reconnects (a new ticket) at once.
    expect(s.lastStream().closed).toBe(true);
    expect(s.streams).toHaveLength(1);
    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => expect(s.getTicket).toHaveBeenCalledTimes(2));
    expect(s.streams).toHaveLength(2);
    s.lastStream().open();
    // Hidden briefly while a heartbeat falls due: the stream stays, and the heartbeat goes when shown.
    await advance(LIVE_TIMING.heartbeatMs - 20_000);
    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await advance(30_000);
    expect(s.heartbeat).toHaveBeenCalledTimes(2);
    expect(s.lastStream().closed).toBe(false);
    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => expect(s.heartbeat).toHaveBeenCalledTimes(3));
    expect(s.getTicket).toHaveBeenCalledTimes(2);
  });

  it('shows the status a heartbeat brings back', async () => {
    const s = server({ heartbeatStatus: TOO_OLD });
    await openLive(s);
    expect(status().textContent).toBe('Live');
    await advance(LIVE_TIMING.heartbeatMs + 100);
    expect(status().textContent).toMatch(/^Live updates paused: your sign-in is too old/);
  });

  it('keeps polling, and stops asking, when the server has no live presence', async () => {
    const s = server({ status: { mode: 'paused', reason: 'disabled' } });
    render(<App config={config} connect={async () => fakeHost()} live={s.live} />);
    await screen.findByText('Ben Assist can take your call now.');
    await waitFor(() => expect(s.getTicket).toHaveBeenCalledTimes(1));
    expect(s.streams).toHaveLength(0);
    expect(status().textContent).toBe('Updated every 30 s');
    await advance(LIVE_TIMING.heartbeatMs + 31_000);
    expect(s.getTicket).toHaveBeenCalledTimes(1);
    expect(s.heartbeat).not.toHaveBeenCalled();
    expect(s.loads.length).toBeGreaterThan(5);
  });

  it('offers a test handle only in local development', async () => {
    const s = server();
    const { unmount } = render(<App config={config} connect={async () => fakeHost()} live={s.live} />);
    await screen.findByText('Ben Assist can take your call now.');
    expect(window.__delegateDeskLive).toBeUndefined();
    unmount();
    render(<App config={{ ...config, localHostOrigin: 'http://localhost:3980' }} connect={async () => fakeHost()} live={s.live} />);
    await screen.findByText('Ben Assist can take your call now.');
    await waitFor(() => expect(s.streams).toHaveLength(1));
    s.lastStream().open();
    s.lastStream().status(LIVE);
    expect(window.__delegateDeskLive?.mode()).toBe('live');
    act(() => window.__delegateDeskLive!.dropStream());
    expect(s.lastStream().closed).toBe(true);
    expect(window.__delegateDeskLive?.mode()).toBe('polled');
    expect(status().textContent).toBe('Updated every 30 s');
  });
});

describe('LiveConnection backoff', () => {
  function harness(random: () => number) {
    const delays: number[] = [];
    let pending: (() => void) | null = null;
    const deps: LiveDeps = {
      getTicket: vi.fn(async () => Promise.reject(new Error('down'))),
      heartbeat: vi.fn(async () => LIVE),
      openStream: (url) => new FakeStream(url),
      timers: {
        setTimeout: (fn, ms) => {
          delays.push(ms);
          pending = fn;
          return delays.length;
        },
        clearTimeout: () => {},
        now: () => 0,
      },
      random,
      isVisible: () => true,
    };
    const c = new LiveConnection({ getToken: async () => 't', onPresence: () => {}, onChange: () => {} }, deps);
    const fire = async () => {
      const fn = pending!;
      pending = null;
      fn();
      await vi.waitFor(() => expect(pending).not.toBeNull());
    };
    return { c, delays, fire };
  }

  it.each([
    ['no jitter', 0.5, [1000, 2000, 4000, 8000, 16000, 30000, 30000]],
    ['the least', 0, [800, 1600, 3200, 6400, 12800, 24000, 24000]],
    ['the most', 0.999999, [1200, 2400, 4800, 9600, 19200, 30000, 30000]],
  ])('waits 1 s, 2 s, 4 s… up to 30 s, with jitter (%s)', async (_name, r, expected) => {
    const { c, delays, fire } = harness(() => r);
    c.start();
    await vi.waitFor(() => expect(delays).toHaveLength(1));
    while (delays.length < expected.length) await fire();
    expect(delays).toEqual(expected);
    c.stop();
  });
});
