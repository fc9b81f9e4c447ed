/**
 * The desk's caches of Graph data (delegations, people, presence) kept in the Store, so one Graph read
 * serves every instance on Redis; with the memory store they behave as the per-process caches did.
 *
 * An entry is stored with the time it is fresh until, and kept a while longer (staleMs) as the last known
 * value for when Graph is throttled or down. Each instance also remembers what it last read or wrote:
 * that copy answers peeks (a push stream's first events) and, while the Store cannot be reached, every
 * read: the caches then degrade to per-instance caches instead of failing requests.
 *
 * Reads started in the same turn of the event loop go to the Store together (one MGET): a warm view reads
 * its lists, its people and their presence in one round trip (see delegationView.ts).
 */
import { TtlCache } from '../cache';
import { StoreUnavailableError, type Store } from '../store/store';

interface Stored<V> {
  v: V;
  /** Fresh until (ms since the epoch). */
  f: number;
}

export interface Cached<V> {
  value: V;
  fresh: boolean;
}

/** Merges the reads of one event-loop turn into one Store.getMany. */
export class ReadBatcher {
  private pending: Array<{ keys: string[]; resolve(v: Array<string | undefined>): void; reject(e: unknown): void }> = [];

  constructor(private readonly store: Store) {}

  getMany(keys: string[]): Promise<Array<string | undefined>> {
    if (keys.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      if (this.pending.push({ keys, resolve, reject }) === 1) queueMicrotask(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    // A lone read (most turns) goes out as it is.
    if (batch.length === 1) return void this.store.getMany(batch[0]!.keys).then(batch[0]!.resolve, batch[0]!.reject);
    // A key asked twice is sent twice (MGET answers each): cheaper than finding the repeats.
    const keys = batch.flatMap((b) => b.keys);
    this.store.getMany(keys).then(
      (values) => {
        let at = 0;
        for (const b of batch) b.resolve(values.slice(at, (at += b.keys.length)));
      },
      (e: unknown) => {
        for (const b of batch) b.reject(e);
      },
    );
  }
}

export interface SharedCacheOptions {
  /** How long a value is fresh, unless set with its own lifetime. */
  ttlMs: number;
  /** How long past that it is kept as the last known value. */
  staleMs: number;
  /** Entries this instance remembers itself (its copy, for peeks and outages). */
  maxLocal?: number;
  now?: () => number;
  log?: (line: string) => void;
}

/** This instance's copy of an entry, with the Store text it was decoded from (or encoded to). */
interface Local<V> {
  s: Stored<V>;
  raw: string | undefined;
}

/**
 * Values are shared, not copied: what a read returns is the same object while the Store holds the same
 * text (a warm read decodes nothing). Callers treat them as immutable.
 */
export class SharedCache<V> {
  private readonly local: TtlCache<Local<V>>;
  private readonly now: () => number;
  /** A clear() on this instance starts a new key space (the Store has no "delete by prefix"). */
  private epoch = 0;
  private outage = false;

  constructor(
    private readonly store: Store,
    private readonly reads: ReadBatcher,
    private readonly name: string,
    private readonly o: SharedCacheOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.local = new TtlCache(o.ttlMs + o.staleMs, o.maxLocal ?? 10_000, this.now);
  }

  private key(id: string): string {
    return `desk:${this.name}:${this.epoch}:${id}`;
  }

  /** While the Store is down: this instance's own copy (reported once per outage). Anything else is a bug: said, not hidden. */
  private unavailable(e: unknown): void {
    if (!(e instanceof StoreUnavailableError)) {
      (this.o.log ?? console.warn)(`[desk] the shared ${this.name} cache failed: ${(e as Error)?.message ?? e}`);
      return;
    }
    if (this.outage) return;
    this.outage = true;
    (this.o.log ?? console.warn)(`[desk] the shared ${this.name} cache is unreachable; this instance uses its own copy meanwhile`);
  }

  private reachable(): void {
    if (this.outage) (this.o.log ?? console.warn)(`[desk] the shared ${this.name} cache is reachable again`);
    this.outage = false;
  }

  private ownCopy(id: string, now: number): Cached<V> | undefined {
    const s = this.local.getStale(id)?.s;
    return s && { value: s.v, fresh: s.f > now };
  }

  /** Each id's value (fresh or, within staleMs, stale) or undefined, in order. */
  async getMany(ids: string[]): Promise<Array<Cached<V> | undefined>> {
    let raw: Array<string | undefined>;
    try {
      raw = await this.reads.getMany(ids.map((id) => this.key(id)));
      this.reachable();
    } catch (e) {
      if (!(e instanceof StoreUnavailableError)) throw e;
      this.unavailable(e);
      const now = this.now();
      return ids.map((id) => this.ownCopy(id, now));
    }
    const now = this.now();
    return ids.map((id, i) => {
      const text = raw[i];
      const mine = this.local.getStale(id);
      // The text this instance last decoded or wrote: its value as it was (the entry's lifetime is the same too).
      if (mine && text !== undefined && mine.raw === text) return { value: mine.s.v, fresh: mine.s.f > now };
      const stored = parse<V>(text);
      if (!stored) {
        // The Store is the truth: gone there (expired, or forgotten by another instance) is gone here.
        this.local.delete(id);
        return undefined;
      }
      this.local.set(id, { s: stored, raw: text }, Math.max(1, stored.f + this.o.staleMs - now));
      return { value: stored.v, fresh: stored.f > now };
    });
  }

  async get(id: string): Promise<Cached<V> | undefined> {
    return (await this.getMany([id]))[0];
  }

  /** Fresh values only, in order (undefined where none). */
  async freshMany(ids: string[]): Promise<Array<V | undefined>> {
    return (await this.getMany(ids)).map((c) => (c?.fresh ? c.value : undefined));
  }

  /** Never rejects: a value that cannot be shared stays in this instance's copy. */
  async setMany(items: Array<[id: string, value: V, ttlMs?: number]>): Promise<void> {
    if (items.length === 0) return;
    const now = this.now();
    const entries = items.map(([id, v, ttl = this.o.ttlMs]) => {
      const lifetime = Math.max(1, ttl);
      const stored: Stored<V> = { v, f: now + lifetime };
      const raw = JSON.stringify(stored);
      this.local.set(id, { s: stored, raw }, lifetime + this.o.staleMs);
      return { key: this.key(id), value: raw, ttlMs: lifetime + this.o.staleMs };
    });
    try {
      await this.store.setMany(entries);
      this.reachable();
    } catch (e) {
      this.unavailable(e);
    }
  }

  set(id: string, value: V, ttlMs?: number): Promise<void> {
    return this.setMany([[id, value, ttlMs]]);
  }

  /** Forgotten here at once, and in the Store (the command is sent before this returns). Never rejects. */
  delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    for (const id of ids) this.local.delete(id);
    return this.store.deleteMany(ids.map((id) => this.key(id))).then(
      () => this.reachable(),
      (e: unknown) => this.unavailable(e),
    );
  }

  /** What this instance last saw, however old, without asking the Store. */
  peek(id: string): V | undefined {
    return this.local.getStale(id)?.s.v;
  }

  /** Everything, for this instance (tests and benches); other instances keep theirs until it expires. */
  clear(): void {
    this.epoch++;
    this.local.clear();
  }
}

function parse<V>(raw: string | undefined): Stored<V> | undefined {
  if (raw === undefined) return undefined;
  try {
    const s = JSON.parse(raw) as Stored<V>;
    return s && typeof s.f === 'number' && 'v' in s ? s : undefined;
  } catch {
    return undefined;
  }
}
