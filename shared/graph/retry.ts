/**
 * Retry for Graph requests, within one budget per request: at most maxAttempts tries in all and
 * maxTotalWaitMs of waiting between them.
 * - 429 and 503 are retried for every request: Graph did not process it. Retry-After is honoured
 *   (seconds, decimals allowed, or a date), else capped exponential backoff with jitter.
 * - A timeout, a dropped connection or a 504 are retried only for idempotent requests: the server may
 *   have acted on the lost attempt, and a second POST /me/onlineMeetings is a second meeting.
 * Every request carries a client-request-id, the same across its retries.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Longest total time spent waiting between attempts, in ms. */
  maxTotalWaitMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** An attempt without a complete answer by then is abandoned (and retried if idempotent). */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  maxTotalWaitMs: 20_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  attemptTimeoutMs: 15_000,
};

/** Retry-After as ms: delta-seconds (integer or decimal) or an HTTP date. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
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

/**
 * The tries and waiting one logical request has spent. The middleware makes one per request; pass
 * your own as a middleware option to share it across requests (the $batch rounds in users.ts do).
 */
export class RetryBudget implements MiddlewareOptions {
  attempts = 0;
  waitedMs = 0;
  /** The client's policy: the middleware sets it on every request it sends. */
  constructor(public policy: RetryPolicy = DEFAULT_RETRY_POLICY) {}

  /** Retry-After if given, else backoff for the attempts made so far. */
  delayMs(retryAfter: string | null | undefined): number {
    return retryAfterMs(retryAfter) ?? backoffMs(Math.max(1, this.attempts), this.policy);
  }

  /** Whether one more try, after waiting delayMs, fits. */
  allows(delayMs: number): boolean {
    return this.attempts < this.policy.maxAttempts && this.waitedMs + delayMs <= this.policy.maxTotalWaitMs;
  }
}

/**
 * Only POST creates or triggers things in Graph (meetings, calls, subscriptions, presence changes):
 * GET, PUT, PATCH and DELETE leave the same state when sent twice. These POSTs only read.
 */
const READ_ONLY_POSTS = [/\/communications\/getPresencesByUserId$/i];

export function isIdempotent(method: string | undefined, url: string, body?: unknown): boolean {
  if ((method ?? 'GET').toUpperCase() !== 'POST') return true;
  const path = new URL(url, 'https://graph.invalid').pathname;
  if (READ_ONLY_POSTS.some((p) => p.test(path))) return true;
  // A $batch is as safe as its items.
  if (!/\/\$batch$/.test(path) || typeof body !== 'string') return false;
  try {
    const { requests } = JSON.parse(body) as { requests?: Array<{ method?: string; url?: string }> };
    return (
      Array.isArray(requests) && requests.length > 0 && requests.every((r) => typeof r?.url === 'string' && isIdempotent(r.method, r.url))
    );
  } catch {
    return false;
  }
}

const isTimeout = (e: unknown) =>
  e instanceof Error && (e.name === 'TimeoutError' || (e.cause instanceof Error && e.cause.name === 'TimeoutError'));

/** Socket-level failures; fetch reports them as TypeError('fetch failed' or 'terminated') with this code on a cause. */
const DROPPED = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isDropped(e: unknown): boolean {
  for (let c = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    if (DROPPED.has(String((c as { code?: unknown }).code))) return true;
  }
  return false;
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

/** Reads the body within the attempt, so a drop or timeout while reading it is handled like one before the headers. */
async function buffered(res: Response): Promise<Response> {
  const body = [204, 205, 304].includes(res.status) ? null : await res.arrayBuffer();
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RetryMiddleware implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    setHeader(context, 'client-request-id', randomUUID());
    context.options ??= {};
    const budget = (context.middlewareControl?.getMiddlewareOptions(RetryBudget) as RetryBudget | undefined) ?? new RetryBudget();
    budget.policy = this.policy;
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const idempotent = isIdempotent(context.options.method, url, context.options.body);
    const callerSignal = context.options.signal ?? undefined;
    for (;;) {
      budget.attempts++;
      // A hung connection must not hold the request (and whoever waits on it) for ever.
      const timeout = AbortSignal.timeout(this.policy.attemptTimeoutMs);
      context.options.signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
      let delay: number;
      try {
        await this.next!.execute(context);
        const res = context.response!;
        if (!(res.status === 429 || res.status === 503 || (res.status === 504 && idempotent))) {
          context.response = await buffered(res);
          return;
        }
        delay = budget.delayMs(res.headers.get('retry-after'));
        // Past the budget, give up now and let the caller answer the person.
        if (!budget.allows(delay)) return;
        await res.arrayBuffer().catch(() => undefined);
      } catch (e) {
        const lost = (isTimeout(e) && timeout.aborted && !callerSignal?.aborted) || isDropped(e);
        if (!lost || !idempotent) throw e;
        delay = budget.delayMs(null);
        if (!budget.allows(delay)) throw e;
      }
      await this.wait(delay);
      budget.waitedMs += delay;
      // The authentication handler appends its header on every pass; drop the old one first.
      removeHeader(context, 'authorization');
    }
  }
}
