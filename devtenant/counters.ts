/** Request counters per endpoint, so tests can count Graph and token requests. */
export class Counters {
  private readonly counts = new Map<string, number>();
  /** Attempts per client-request-id (a client keeps one id across its retries of a request). */
  private readonly attempts = new Map<string, number>();

  attempt(clientRequestId: string): void {
    this.attempts.set(clientRequestId, (this.attempts.get(clientRequestId) ?? 0) + 1);
  }

  /** How many requests (by client-request-id) took how many attempts: { 1: 40, 2: 3, 3: 1 }. */
  attemptsHistogram(): Record<number, number> {
    const h: Record<number, number> = {};
    for (const n of this.attempts.values()) h[n] = (h[n] ?? 0) + 1;
    return h;
  }

  increment(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Sum of every counter whose key starts with the prefix (e.g. "graph " or "token "). */
  total(prefix = ''): number {
    let n = 0;
    for (const [k, v] of this.counts) if (k.startsWith(prefix)) n += v;
    return n;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
    this.attempts.clear();
  }
}
