/** The Store in one process's memory: the default, enough for one instance and for `npm start`. */
import type { Store, StoreHealth } from './store';

export class MemoryStore implements Store {
  private readonly values = new Map<string, { value: string; expiresAt: number }>();
  private readonly channels = new Map<string, Set<(message: string) => void>>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly maxEntries = 100_000,
  ) {}

  private live(key: string): string | undefined {
    const e = this.values.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    return e.value;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.values.delete(key);
    // Bounded: the oldest entries go first (Map keeps insertion order).
    if (this.values.size >= this.maxEntries) this.values.delete(this.values.keys().next().value!);
    this.values.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : this.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key) !== undefined) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async getMany(keys: string[]): Promise<Array<string | undefined>> {
    return keys.map((k) => this.live(k));
  }

  async setMany(entries: Array<{ key: string; value: string; ttlMs?: number }>): Promise<void> {
    for (const e of entries) await this.set(e.key, e.value, e.ttlMs);
  }

  async deleteMany(keys: string[]): Promise<void> {
    for (const k of keys) this.values.delete(k);
  }

  async publish(channel: string, message: string): Promise<void> {
    // Asynchronous like a real broker: a subscriber never runs inside the publisher's call.
    for (const handler of this.channels.get(channel) ?? []) setImmediate(() => handler(message));
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    const set = this.channels.get(channel) ?? this.channels.set(channel, new Set()).get(channel)!;
    set.add(onMessage);
    return async () => void set.delete(onMessage);
  }

  health(): StoreHealth {
    return 'ok';
  }

  async close(): Promise<void> {
    this.values.clear();
    this.channels.clear();
  }
}
