/**
 * The Store on Redis (ioredis), for several instances sharing one state: Azure Cache for Redis in
 * production (`rediss://:<access key>@<name>.redis.cache.windows.net:6380`), `redis://` locally.
 *
 * Fail fast: while a connection is down no command is queued (`enableOfflineQueue: false`) or resent
 * (`maxRetriesPerRequest: 0`), and a hung connection times out, so every call rejects at once with a
 * StoreUnavailableError instead of hanging a request. Each connection reconnects on its own, with
 * exponential backoff and jitter. Publish/subscribe needs a connection of its own (a subscribing
 * connection can do nothing else); subscriptions are kept here and sent again on every reconnect.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError, type Store, type StoreHealth, type Versioned, type VersionedStore } from './store';

export interface RedisStoreOptions {
  /** Prepended to every key and channel, so several apps can share one Redis. Default 'dd:'. */
  prefix?: string;
  /** A command with no answer after this long fails (a connection that hangs). Default 2 s. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect backoff: from minBackoffMs, doubled per attempt, up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Where connection problems are reported (once per outage and connection). Default console.warn. */
  log?: (line: string) => void;
}

// Server replies that mean "not available now" rather than a bad command.
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|NOAUTH|WRONGPASS|CLUSTERDOWN|TRYAGAIN)\b/;

// A hash per document (v: version, d: the document): written only if absent, unconditional, or the version matches.
const WRITE_VERSIONED = `
local current = redis.call('HGET', KEYS[1], 'v')
if ARGV[3] == '1' and current and current ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[4])
if tonumber(ARGV[5]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) else redis.call('PERSIST', KEYS[1]) end
return 1`;

/** Accepts redis:// and rediss:// (TLS) URLs only. */
export const isRedisUrl = (value: string): boolean => {
  try {
    const u = new URL(value);
    return (u.protocol === 'redis:' || u.protocol === 'rediss:') && !!u.hostname;
  } catch {
    return false;
  }
};

export class RedisStore implements Store, VersionedStore {
  private readonly client: Redis;
  private subscriber?: Redis;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private readonly prefix: string;
  private readonly url: string;
  private readonly options: RedisOptions;
  /** A command timed out on a connection that still looked ready: down until it is ready again. */
  private timedOut = false;
  private closed = false;

  constructor(
    url: string,
    private readonly settings: RedisStoreOptions = {},
  ) {
    if (!isRedisUrl(url)) throw new Error('RedisStore needs a redis:// or rediss:// URL');
    const { hostname, protocol } = new URL(url);
    const min = settings.minBackoffMs ?? 100;
    const max = settings.maxBackoffMs ?? 5_000;
    this.prefix = settings.prefix ?? 'dd:';
    this.options = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResubscribe: false, // ours: see resubscribe()
      commandTimeout: settings.commandTimeoutMs ?? 2_000,
      connectTimeout: settings.connectTimeoutMs ?? 5_000,
      keepAlive: 10_000,
      retryStrategy: (attempt) => Math.round(Math.min(max, min * 2 ** Math.min(attempt - 1, 16)) * (0.5 + Math.random() / 2)),
      // Azure Cache for Redis: TLS on 6380, the certificate names the cache's host.
      ...(protocol === 'rediss:' ? { tls: { servername: hostname } } : {}),
    };
    this.url = url;
    this.client = this.connect('commands');
    this.client.on('ready', () => (this.timedOut = false));
  }

  private connect(role: string): Redis {
    const redis = new Redis(this.url, this.options);
    const log = this.settings.log ?? ((line: string) => console.warn(line));
    let reported = false;
    // Without an 'error' listener ioredis would throw; report an outage once, and its end.
    redis.on('error', (e: Error) => {
      if (reported || this.closed) return;
      reported = true;
      log(`[store] Redis (${role}) unreachable, reconnecting: ${e.message}`);
    });
    redis.on('ready', () => {
      if (reported) log(`[store] Redis (${role}) connected again`);
      reported = false;
    });
    return redis;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('The store is closed');
    try {
      const result = await command();
      this.timedOut = false;
      return result;
    } catch (e) {
      const err = e as Error;
      if (err.name === 'ReplyError' && !UNAVAILABLE_REPLY.test(err.message)) throw err;
      if (/timed out/i.test(err.message) && !this.timedOut) {
        // A connection that stopped answering: start a new one, so the next commands fail at once
        // (not ready) instead of each waiting for its timeout.
        this.timedOut = true;
        this.client.disconnect(true);
      }
      throw new StoreUnavailableError(`Redis is unavailable: ${err.message}`, { cause: e });
    }
  }

  private key(key: string): string {
    return this.prefix + key;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.run(() => this.client.get(this.key(key)))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const k = this.key(key);
    await this.run(() =>
      ttlMs === undefined ? this.client.set(k, value) : this.client.set(k, value, 'PX', Math.max(1, Math.ceil(ttlMs))),
    );
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.run(() => this.client.set(this.key(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'))) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.client.del(this.key(key)));
  }

  async getMany(keys: string[]): Promise<Array<string | undefined>> {
    if (!keys.length) return [];
    const values = await this.run(() => this.client.mget(...keys.map((k) => this.key(k))));
    return values.map((v) => v ?? undefined);
  }

  async setMany(entries: Array<{ key: string; value: string; ttlMs?: number }>): Promise<void> {
    if (!entries.length) return;
    const pipeline = this.client.pipeline();
    for (const e of entries) {
      if (e.ttlMs === undefined) pipeline.set(this.key(e.key), e.value);
      else pipeline.set(this.key(e.key), e.value, 'PX', Math.max(1, Math.ceil(e.ttlMs)));
    }
    const results = await this.run(() => pipeline.exec());
    const failed = results?.find(([err]) => err)?.[0];
    if (failed) await this.run(() => Promise.reject(failed));
  }

  async deleteMany(keys: string[]): Promise<void> {
    if (keys.length) await this.run(() => this.client.del(...keys.map((k) => this.key(k))));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run(() => this.client.publish(this.key(channel), message));
  }

  /**
   * Registers at once, even while Redis is down (the subscription is sent on every connect); messages
   * published meanwhile are lost, as with any Redis pub/sub.
   */
  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    if (this.closed) throw new StoreUnavailableError('The store is closed');
    const fresh = !this.subscriber;
    const sub = this.subscriberConnection();
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(onMessage);
    // The first subscription waits for its connection (briefly) unless Redis is down; later ones never do.
    if (fresh && this.client.status === 'ready') await whenReady(sub, this.options.connectTimeout ?? 5_000);
    if (first && sub.status === 'ready') await sub.subscribe(this.key(channel)).catch(() => undefined);
    return async () => {
      set.delete(onMessage);
      if (set.size || this.handlers.get(channel) !== set) return;
      this.handlers.delete(channel);
      if (sub.status === 'ready') await sub.unsubscribe(this.key(channel)).catch(() => undefined);
    };
  }

  private subscriberConnection(): Redis {
    if (this.subscriber) return this.subscriber;
    const sub = this.connect('subscriber');
    this.subscriber = sub;
    sub.on('ready', () => void this.resubscribe(sub));
    sub.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel.slice(this.prefix.length)) ?? []) {
        try {
          handler(message);
        } catch (e) {
          console.error(`[store] a subscriber of ${channel} failed: ${(e as Error).message}`);
        }
      }
    });
    return sub;
  }

  private async resubscribe(sub: Redis): Promise<void> {
    const channels = [...this.handlers.keys()].map((c) => this.key(c));
    if (channels.length) await sub.subscribe(...channels).catch(() => undefined);
  }

  async readVersioned(key: string): Promise<Versioned | undefined> {
    const [version, value] = await this.run(() => this.client.hmget(this.key(key), 'v', 'd'));
    return version != null && value != null ? { version, value } : undefined;
  }

  async writeVersioned(key: string, value: string, version: string, expected: string | undefined, ttlMs?: number): Promise<boolean> {
    const args = [version, expected ?? '', expected === undefined ? '0' : '1', value, String(ttlMs ? Math.ceil(ttlMs) : 0)];
    return (await this.run(() => this.client.eval(WRITE_VERSIONED, 1, this.key(key), ...args))) === 1;
  }

  /** 'ok' while every connection is up and answering. */
  health(): StoreHealth {
    const ready = this.client.status === 'ready' && (!this.subscriber || this.subscriber.status === 'ready');
    return ready && !this.timedOut && !this.closed ? 'ok' : 'down';
  }

  /** Resolves once the command connection is ready, or false after timeoutMs (it keeps trying). */
  ready(timeoutMs = 5_000): Promise<boolean> {
    return whenReady(this.client, timeoutMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    // QUIT when connected (pending replies arrive first); otherwise just stop reconnecting.
    await Promise.all(
      [this.client, this.subscriber].map(async (c) => {
        if (!c) return;
        if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
        else c.disconnect();
      }),
    );
  }
}

function whenReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}
