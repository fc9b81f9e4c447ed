/**
 * Retry for Graph requests: 429, 503 and 504 are retried, honouring Retry-After (seconds, decimals
 * allowed), else capped exponential backoff with full jitter, within a per-request budget of attempts
 * and total waiting. Every request carries a client-request-id (the same across its retries).
 */
import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Longest total time spent waiting between attempts, in ms. */
  maxTotalWaitMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** An attempt without an answer by then is abandoned (and retried like a 504). */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, maxTotalWaitMs: 20_000, baseDelayMs: 500, maxDelayMs: 8_000, attemptTimeoutMs: 15_000 };

const isTimeout = (e: unknown) => e instanceof Error && (e.name === 'TimeoutError' || (e.cause instanceof Error && e.cause.name === 'TimeoutError'));

const RETRYABLE = new Set([429, 503, 504]);

/** Retry-After as ms: delta-seconds (integer or decimal) or an HTTP date. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

function setHeader(context: Context, name: string, value: string): void {
  context.options ??= {};
  const h = context.options.headers;
  if (h instanceof Headers) {
    if (!h.has(name)) h.set(name, value);
  } else if (Array.isArray(h)) {
    if (!h.some(([k]) => k.toLowerCase() === name)) h.push([name, value]);
  } else {
    const obj = (h ?? {}) as Record<string, string>;
    if (!Object.keys(obj).some((k) => k.toLowerCase() === name)) obj[name] = value;
    context.options.headers = obj;
  }
}

function removeHeader(context: Context, name: string): void {
  const h = context.options?.headers;
  if (!h) return;
  if (h instanceof Headers) h.delete(name);
  else if (Array.isArray(h)) context.options!.headers = h.filter(([k]) => k.toLowerCase() !== name);
  else for (const k of Object.keys(h)) if (k.toLowerCase() === name) delete (h as Record<string, string>)[k];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RetryMiddleware implements Middleware {
  private next?: Middleware;

  constructor(private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY, private readonly wait: (ms: number) => Promise<void> = sleep) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    setHeader(context, 'client-request-id', randomUUID());
    let waited = 0;
    context.options ??= {};
    const callerSignal = context.options.signal ?? undefined;
    for (let attempt = 1; ; attempt++) {
      // A hung connection must not hold the request (and whoever waits on it) for ever.
      const timeout = AbortSignal.timeout(this.policy.attemptTimeoutMs);
      context.options.signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
      try {
        await this.next!.execute(context);
      } catch (e) {
        if (!isTimeout(e) || !timeout.aborted) throw e;
        const delay = backoffMs(attempt, this.policy);
        if (attempt >= this.policy.maxAttempts || waited + delay > this.policy.maxTotalWaitMs) throw e;
        await this.wait(delay);
        waited += delay;
        removeHeader(context, 'authorization');
        continue;
      }
      const res = context.response;
      if (!res || !RETRYABLE.has(res.status) || attempt >= this.policy.maxAttempts) return;
      const delay = retryAfterMs(res.headers.get('retry-after')) ?? backoffMs(attempt, this.policy);
      // Past the budget, give up now and let the caller answer the person.
      if (waited + delay > this.policy.maxTotalWaitMs) return;
      await res.arrayBuffer().catch(() => undefined);
      await this.wait(delay);
      waited += delay;
      // The authentication handler appends its header on every pass; drop the old one first.
      removeHeader(context, 'authorization');
    }
  }
}
