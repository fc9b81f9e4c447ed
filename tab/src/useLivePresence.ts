/**
 * Live presence: once the first view is shown, the tab gets a single-use ticket and opens the server's
 * push stream (Server-Sent Events), where the server forwards Graph's presence change notifications.
 * The stream reconnects with exponential backoff and jitter, with a new ticket each time; a heartbeat
 * every 5 minutes, while the tab is visible, lets the server renew the Graph subscription with a fresh
 * delegated token. Polling (useDelegation) stays the safety net whenever push is down.
 *
 * The connection is a plain class (LiveConnection) driven by a small hook; the stream, the server
 * calls, the timers, randomness and visibility are injected, so tests can play the server.
 */
import { useEffect, useRef, useState } from 'react';
import type { LiveEvents, LiveStatus, LiveTicket } from '../../shared/api';
import type { PresenceView } from '../../shared/domain/delegationView';
import { fetchLiveTicket, liveStreamUrl, LiveUnsupportedError, sendLiveHeartbeat } from './api';

/** What the tab uses of an EventSource (a real one fits): our seam, so tests can hand in a stream of their own. */
export interface LiveStream {
  /** 'open' and 'error' as EventSource fires them; 'status' and 'presence' carry JSON in `data`. */
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface LiveTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface LiveDeps {
  getTicket(token: string): Promise<LiveTicket>;
  heartbeat(token: string): Promise<LiveStatus>;
  openStream(url: string): LiveStream;
  timers: LiveTimers;
  /** In [0, 1): the backoff's jitter. */
  random(): number;
  isVisible(): boolean;
}

/** Looked up at each call, so fake timers installed after this module loads still apply. */
const globalTimers: LiveTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export const defaultLiveDeps: LiveDeps = {
  getTicket: fetchLiveTicket,
  heartbeat: sendLiveHeartbeat,
  openStream: (url) => {
    if (typeof EventSource === 'undefined') throw new LiveUnsupportedError('This browser has no EventSource.');
    return new EventSource(url);
  },
  timers: globalTimers,
  random: Math.random,
  isVisible: () => document.visibilityState === 'visible',
};

export const LIVE_TIMING = {
  heartbeatMs: 5 * 60_000,
  backoffFirstMs: 1_000,
  backoffMaxMs: 30_000,
  /** The stream is closed when the tab has been hidden this long, and reopened when it is shown. */
  hiddenCloseMs: 60_000,
  /** A stream open this long (or that delivered an event) was healthy: the backoff starts again at its first delay. */
  healthyOpenMs: 10_000,
};

export interface LiveState {
  /** The stream is connected: its open event came and no error since. */
  streamOpen: boolean;
  /** The server's latest word, from the ticket, the stream or a heartbeat. */
  status: LiveStatus | null;
}

/** How presence reaches the tab, as the tab says it. */
export type LiveMode = 'live' | 'polled' | 'tokenTooOld';

export const isPushing = (s: LiveState) => s.streamOpen && s.status?.mode === 'live';

export function liveMode(s: LiveState): LiveMode {
  if (isPushing(s)) return 'live';
  return s.status?.mode === 'paused' && s.status.reason === 'tokenTooOld' ? 'tokenTooOld' : 'polled';
}

const isLiveStatus = (s: unknown): s is LiveStatus =>
  typeof s === 'object' && s !== null && ((s as LiveStatus).mode === 'live' || (s as LiveStatus).mode === 'paused');

function parse(data: unknown): unknown {
  try {
    return typeof data === 'string' ? JSON.parse(data) : undefined;
  } catch {
    return undefined;
  }
}

export interface LiveConnectionOptions {
  getToken(): Promise<string>;
  onPresence(id: string, presence: PresenceView): void;
  onChange(state: LiveState): void;
}

export class LiveConnection {
  private state: LiveState = { streamOpen: false, status: null };
  private stream: LiveStream | null = null;
  private healthy = false;
  private openedAt = 0;
  /** Consecutive failed connections: the next delay is backoffFirstMs × 2^failures. */
  private failures = 0;
  /** Each connection attempt's number: a slower, older one gives way. */
  private attempt = 0;
  private connecting = false;
  private started = false;
  private stopped = false;
  /** The server offers no live presence: nothing more is tried. */
  private unsupported = false;
  private reconnectTimer: unknown;
  private hiddenTimer: unknown;
  private heartbeatTimer: unknown;
  /** A reconnection or a heartbeat fell due while the tab was hidden: done when it is shown. */
  private resumeOnVisible = false;
  private heartbeatDue = false;

  constructor(
    private readonly opts: LiveConnectionOptions,
    private readonly deps: LiveDeps = defaultLiveDeps,
  ) {}

  get current(): LiveState {
    return this.state;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.attempt += 1;
    this.closeStream();
    this.clearTimers();
  }

  /** Closes the stream as if it had failed; it reconnects with backoff. For tests in the local host. */
  dropStream(): void {
    if (!this.stream) return;
    const healthy = this.wasHealthy();
    this.closeStream();
    this.scheduleReconnect(healthy);
  }

  /** To be called on document visibilitychange. */
  visibilityChanged(): void {
    if (this.stopped || this.unsupported || !this.started) return;
    const { timers } = this.deps;
    if (this.deps.isVisible()) {
      timers.clearTimeout(this.hiddenTimer);
      this.hiddenTimer = undefined;
      // Shown again: reconnect now rather than at the end of the backoff.
      if (!this.connecting && (this.resumeOnVisible || this.reconnectTimer !== undefined)) void this.connect();
      else if (this.heartbeatDue) void this.beat();
    } else if (this.hiddenTimer === undefined) {
      this.hiddenTimer = timers.setTimeout(() => {
        this.hiddenTimer = undefined;
        if (this.deps.isVisible() || !this.stream) return;
        this.closeStream();
        this.resumeOnVisible = true;
      }, LIVE_TIMING.hiddenCloseMs);
    }
  }

  private update(patch: Partial<LiveState>): void {
    const next = { ...this.state, ...patch };
    if (next.streamOpen === this.state.streamOpen && next.status === this.state.status) return;
    this.state = next;
    this.opts.onChange(next);
  }

  private clearTimers(): void {
    const { timers } = this.deps;
    timers.clearTimeout(this.reconnectTimer);
    timers.clearTimeout(this.hiddenTimer);
    timers.clearTimeout(this.heartbeatTimer);
    this.reconnectTimer = this.hiddenTimer = this.heartbeatTimer = undefined;
  }

  private wasHealthy(): boolean {
    return this.healthy || (this.openedAt > 0 && this.deps.timers.now() - this.openedAt >= LIVE_TIMING.healthyOpenMs);
  }

  private closeStream(): void {
    if (this.stream) {
      this.stream.close();
      this.stream = null;
    }
    this.healthy = false;
    this.openedAt = 0;
    this.update({ streamOpen: false });
  }

  private giveUp(): void {
    this.unsupported = true;
    this.closeStream();
    this.clearTimers();
    if (!this.state.status) this.update({ status: { mode: 'paused', reason: 'disabled' } });
  }

  private scheduleReconnect(healthy = false): void {
    if (this.stopped || this.unsupported) return;
    if (healthy) this.failures = 0;
    const base = Math.min(LIVE_TIMING.backoffMaxMs, LIVE_TIMING.backoffFirstMs * 2 ** this.failures);
    this.failures += 1;
    // ±20 % so that tabs which lost the server together do not all come back in the same instant.
    const delay = Math.min(LIVE_TIMING.backoffMaxMs, Math.round(base * (0.8 + 0.4 * this.deps.random())));
    const { timers } = this.deps;
    timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = timers.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.deps.isVisible()) void this.connect();
      else this.resumeOnVisible = true;
    }, delay);
  }

  /** The server renewed my subscription (a ticket or a heartbeat): the next heartbeat is due 5 minutes later. */
  private renewed(): void {
    const { timers } = this.deps;
    this.heartbeatDue = false;
    timers.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = timers.setTimeout(() => {
      this.heartbeatTimer = undefined;
      if (this.deps.isVisible()) void this.beat();
      else this.heartbeatDue = true;
    }, LIVE_TIMING.heartbeatMs);
  }

  private async beat(): Promise<void> {
    if (this.stopped || this.unsupported) return;
    this.heartbeatDue = false;
    try {
      const status = await this.deps.heartbeat(await this.opts.getToken());
      if (this.stopped) return;
      this.update({ status });
    } catch (e) {
      if (e instanceof LiveUnsupportedError) return this.giveUp();
      // Tried again at the next heartbeat; a reconnection renews the subscription too.
    }
    if (!this.stopped && !this.unsupported) this.renewed();
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.unsupported) return;
    const { timers } = this.deps;
    timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.resumeOnVisible = false;
    this.closeStream();
    const mine = ++this.attempt;
    this.connecting = true;
    let ticket: LiveTicket;
    try {
      ticket = await this.deps.getTicket(await this.opts.getToken());
    } catch (e) {
      if (mine !== this.attempt) return;
      this.connecting = false;
      if (e instanceof LiveUnsupportedError) return this.giveUp();
      return this.scheduleReconnect();
    }
    if (mine !== this.attempt) return;
    this.connecting = false;
    this.renewed();
    this.update({ status: ticket.status });
    if (ticket.status.mode === 'paused' && ticket.status.reason === 'disabled') return this.giveUp();

    let stream: LiveStream;
    try {
      stream = this.deps.openStream(liveStreamUrl(ticket.ticket));
    } catch {
      return this.giveUp();
    }
    this.stream = stream;
    const mineStream = () => this.stream === stream;
    stream.addEventListener('open', () => {
      if (!mineStream()) return;
      this.openedAt = timers.now();
      this.update({ streamOpen: true });
    });
    stream.addEventListener('status', (e) => {
      const status = parse(e.data);
      if (!mineStream() || !isLiveStatus(status)) return;
      this.healthy = true;
      this.update({ status });
    });
    stream.addEventListener('presence', (e) => {
      const event = parse(e.data) as Partial<LiveEvents['presence']> | undefined;
      if (!mineStream() || typeof event?.id !== 'string') return;
      this.healthy = true;
      // null: the server knows nothing of this person's presence (say, the stream's first events right
      // after a new subscription): the presence shown stays rather than turning into "unknown".
      if (event.presence) this.opts.onPresence(event.id, event.presence);
    });
    // EventSource would retry with the same URL, but a ticket is single use: close it and start over.
    stream.addEventListener('error', () => {
      if (!mineStream()) return;
      const healthy = this.wasHealthy();
      this.closeStream();
      this.scheduleReconnect(healthy);
    });
  }
}

export interface LivePresence extends LiveState {
  /** Presence comes by push: the stream is open and the server says live. */
  pushing: boolean;
  mode: LiveMode;
  /** Closes the stream as if it had failed (it reconnects with backoff): for tests in the local host. */
  dropStream(): void;
}

/**
 * Runs a LiveConnection while `enabled` (the tab has a view to update). `onPresence` gets each pushed
 * presence; the latest callbacks are used, so they need not be stable.
 */
export function useLivePresence(opts: {
  enabled: boolean;
  getToken: () => Promise<string>;
  onPresence: (id: string, presence: PresenceView) => void;
  deps?: Partial<LiveDeps>;
}): LivePresence {
  const [state, setState] = useState<LiveState>({ streamOpen: false, status: null });
  const latest = useRef(opts);
  latest.current = opts;
  const connection = useRef<LiveConnection | null>(null);
  const { enabled } = opts;

  useEffect(() => {
    if (!enabled) return;
    const deps = { ...defaultLiveDeps, ...latest.current.deps };
    const live = new LiveConnection(
      {
        getToken: () => latest.current.getToken(),
        onPresence: (id, presence) => latest.current.onPresence(id, presence),
        onChange: setState,
      },
      deps,
    );
    connection.current = live;
    const onVisibility = () => live.visibilityChanged();
    document.addEventListener('visibilitychange', onVisibility);
    live.start();
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      live.stop();
      if (connection.current === live) connection.current = null;
      setState({ streamOpen: false, status: null });
    };
  }, [enabled]);

  return { ...state, pushing: isPushing(state), mode: liveMode(state), dropStream: () => connection.current?.dropStream() };
}
