/** A small TTL cache: fresh values within their lifetime; stale ones kept for a fallback. */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now = () => Date.now(),
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    return e && e.expiresAt > this.now() ? e.value : undefined;
  }

  /** The last value even if expired (for "last good data" when Graph is throttled). */
  getStale(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** ttlMs: this entry's own lifetime (default: the cache's). */
  set(key: string, value: V, ttlMs = this.ttlMs): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
