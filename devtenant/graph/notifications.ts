/** Outbound deliveries from the dev tenant to the product: webhooks with bounded retry, never throwing. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DeliveryResult {
  ok: boolean;
  status?: number;
  attempts: number;
}

/** POSTs JSON, retrying a few times with backoff on failure (Graph retries for hours; tests need seconds). */
export async function deliver(url: string, body: unknown, opts: { attempts?: number; timeoutMs?: number; backoffMs?: number } = {}): Promise<DeliveryResult> {
  const attempts = opts.attempts ?? 3;
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
