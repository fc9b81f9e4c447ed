/** Outbound deliveries from the dev tenant to the product: webhooks with bounded retry, never throwing. */
import { z } from 'zod/v4';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DeliveryResult {
  ok: boolean;
  status?: number;
  attempts: number;
}

export interface DeliveryOptions {
  attempts?: number;
  timeoutMs?: number;
  backoffMs?: number;
}

/** POSTs JSON, retrying non-2xx, errors and timeouts with exponential backoff (Graph retries for hours; tests need seconds). */
export async function deliver(url: string, body: unknown, opts: DeliveryOptions = {}): Promise<DeliveryResult> {
  const attempts = Math.max(1, opts.attempts ?? 3);
  for (let i = 1; i <= attempts; i++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 3000),
      });
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, attempts: i };
      if (i === attempts) return { ok: false, status: res.status, attempts: i };
    } catch {
      if (i === attempts) return { ok: false, attempts: i };
    }
    await sleep((opts.backoffMs ?? 200) * 2 ** (i - 1));
  }
  return { ok: false, attempts };
}

/**
 * How change notifications are delivered. Real Graph: a 3 s answer timeout, retries for up to 4 hours,
 * presence notifications "on average within 10 s". Defaults keep tests fast: no delay, 4 tries over ~2 s.
 */
export const notificationSettingsSchema = z.object({
  /** Wait before each change notification is sent. */
  delayMs: z.number().int().min(0).max(600_000).default(0),
  /** Extra random wait, 0..jitterMs, added to delayMs. */
  jitterMs: z.number().int().min(0).max(600_000).default(0),
  /** Tries per notification, the first included. */
  attempts: z.number().int().min(1).max(20).default(4),
  /** Wait before the second try; doubles for each further try. */
  backoffMs: z.number().int().min(0).max(600_000).default(250),
  /** An answer slower than this counts as failed (Graph: 3 s). */
  timeoutMs: z.number().int().min(1).max(60_000).default(3000),
});
export type NotificationSettingsValue = z.infer<typeof notificationSettingsSchema>;
export type NotificationSettingsInput = z.input<typeof notificationSettingsSchema>;

export class NotificationSettings {
  private value: NotificationSettingsValue = notificationSettingsSchema.parse({});

  constructor(
    private readonly initial: NotificationSettingsInput = {},
    private readonly random: () => number = Math.random,
  ) {
    this.set(initial);
  }

  get(): NotificationSettingsValue {
    return { ...this.value };
  }

  /** Replaces the settings; omitted fields take their defaults. */
  set(input: NotificationSettingsInput): NotificationSettingsValue {
    this.value = notificationSettingsSchema.parse(input);
    return this.get();
  }

  /** Back to the values the dev tenant started with. */
  reset(): void {
    this.set(this.initial);
  }

  /** The wait for one notification: delay plus jitter. */
  nextDelayMs(): number {
    return this.value.delayMs + Math.floor(this.random() * (this.value.jitterMs + 1));
  }

  retry(): DeliveryOptions {
    return { attempts: this.value.attempts, backoffMs: this.value.backoffMs, timeoutMs: this.value.timeoutMs };
  }
}

/** A timer that does not keep the process alive: queued notifications die with the dev tenant. */
const idle = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Sends in order per key (a subscription): each item waits for its due time and for the key's previous item. */
export class OrderedDelivery {
  private readonly tails = new Map<string, Promise<void>>();
  private stopped = false;

  enqueue(key: string, delayMs: number, send: () => Promise<void>): Promise<void> {
    const due = Date.now() + delayMs;
    const next = (this.tails.get(key) ?? Promise.resolve())
      .then(async () => {
        if (due > Date.now()) await idle(due - Date.now());
        if (!this.stopped) await send();
      })
      .catch(() => undefined);
    this.tails.set(key, next);
    void next.then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  stop(): void {
    this.stopped = true;
  }
}

/** https anywhere, or http on loopback: the product runs on plain http locally. */
export function acceptableCallbackUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const u = new URL(value);
    if (u.protocol === 'https:') return u;
    if (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return u;
  } catch {
    return undefined;
  }
  return undefined;
}
