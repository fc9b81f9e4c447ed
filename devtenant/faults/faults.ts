/**
 * Fault injection, one concern per rule kind (as Dev Proxy's plugins): latency, error rates (429 with
 * Retry-After, 503), a scripted "fail the next N requests", dropped connections, and the presence
 * rate limiter. Each applies globally or to the routes whose key matches a pattern.
 */
import { z } from 'zod/v4';

const latencySchema = z.object({ fixedMs: z.number().min(0).default(0), randomMs: z.number().min(0).default(0) });
const errorRateSchema = z.object({
  rate429: z.number().min(0).max(1).default(0),
  rate503: z.number().min(0).max(1).default(0),
  /** Retry-After seconds sent with injected 429/503. */
  retryAfterSeconds: z.number().min(0).default(1),
});
const failNextSchema = z.object({
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
  count: z.number().int().min(1),
  retryAfterSeconds: z.number().min(0).optional(),
});

export const faultRuleSchema = z
  .object({
    /** Graph requests (default), or Entra ID's token endpoint, where only latency and drops apply. */
    target: z.enum(['graph', 'entra']).default('graph'),
    /**
     * Which requests the rule applies to: '*' for all, else a substring or glob ('*' wildcard) matched
     * against the route key, e.g. 'POST /v1.0/communications/getPresencesByUserId' or '/communications/*'.
     */
    match: z.string().default('*'),
    latency: latencySchema.optional(),
    errors: errorRateSchema.optional(),
    failNext: failNextSchema.optional(),
    /** Fraction of requests whose connection is closed without an answer. */
    dropRate: z.number().min(0).max(1).optional(),
    /** Close the connection of the next N requests without an answer. */
    dropNext: z.number().int().min(1).optional(),
  })
  .refine((r) => r.target === 'graph' || (!r.errors && !r.failNext), { message: 'Entra rules take latency and drops only' });
export type FaultRule = z.infer<typeof faultRuleSchema>;

export const faultConfigSchema = z.object({
  rules: z.array(faultRuleSchema).default([]),
  presenceLimit: z
    .object({
      enabled: z.boolean().default(false),
      limit: z.number().int().min(1).default(1500),
      windowSeconds: z.number().min(1).default(30),
    })
    .default({ enabled: false, limit: 1500, windowSeconds: 30 }),
});
export type FaultConfig = z.infer<typeof faultConfigSchema>;
export type FaultConfigInput = z.input<typeof faultConfigSchema>;

export type FaultDecision =
  { kind: 'none' } | { kind: 'drop' } | { kind: 'error'; status: number; retryAfterSeconds?: number; reason: 'injected' | 'presenceLimit' };

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(escaped, 'i');
}

export class Faults {
  private config: FaultConfig = faultConfigSchema.parse({});
  private remaining = new Map<FaultRule, number>();
  private dropsLeft = new Map<FaultRule, number>();
  /** Timestamps (ms) of presence requests in the current window, per app id. */
  private presenceHits = new Map<string, number[]>();

  constructor(
    initial?: FaultConfigInput,
    private readonly random: () => number = Math.random,
  ) {
    if (initial) this.set(initial);
  }

  get(): FaultConfig {
    return structuredClone(this.config);
  }

  set(input: FaultConfigInput): FaultConfig {
    this.config = faultConfigSchema.parse(input);
    this.remaining = new Map(this.config.rules.filter((r) => r.failNext).map((r) => [r, r.failNext!.count]));
    this.dropsLeft = new Map(this.config.rules.filter((r) => r.dropNext).map((r) => [r, r.dropNext!]));
    this.presenceHits.clear();
    return this.get();
  }

  reset(): void {
    this.set({});
  }

  private rulesFor(routeKey: string, target: FaultRule['target']): FaultRule[] {
    return this.config.rules
      .filter((r) => r.target === target)
      .filter((r) => r.match === '*' || globToRegExp(r.match.includes('*') ? r.match : `*${r.match}*`).test(routeKey));
  }

  latencyMs(routeKey: string, target: FaultRule['target'] = 'graph'): number {
    let ms = 0;
    for (const r of this.rulesFor(routeKey, target))
      if (r.latency) ms += r.latency.fixedMs + Math.round(this.random() * r.latency.randomMs);
    return ms;
  }

  /** Decides the fate of one request. Counts towards the presence limit when presenceAppId is given. */
  decide(routeKey: string, presenceAppId?: string, target: FaultRule['target'] = 'graph'): FaultDecision {
    for (const r of this.rulesFor(routeKey, target)) {
      const drops = this.dropsLeft.get(r);
      if (drops) {
        this.dropsLeft.set(r, drops - 1);
        return { kind: 'drop' };
      }
      if (r.dropRate && this.random() < r.dropRate) return { kind: 'drop' };
      const left = this.remaining.get(r);
      if (left !== undefined && left > 0 && r.failNext) {
        this.remaining.set(r, left - 1);
        return { kind: 'error', status: r.failNext.status, retryAfterSeconds: r.failNext.retryAfterSeconds, reason: 'injected' };
      }
      if (r.errors) {
        const x = this.random();
        if (x < r.errors.rate429) return { kind: 'error', status: 429, retryAfterSeconds: r.errors.retryAfterSeconds, reason: 'injected' };
        if (x < r.errors.rate429 + r.errors.rate503)
          return { kind: 'error', status: 503, retryAfterSeconds: r.errors.retryAfterSeconds, reason: 'injected' };
      }
    }
    const limit = this.config.presenceLimit;
    if (presenceAppId !== undefined && limit.enabled) {
      const now = Date.now();
      const windowMs = limit.windowSeconds * 1000;
      const hits = (this.presenceHits.get(presenceAppId) ?? []).filter((t) => t > now - windowMs);
      if (hits.length >= limit.limit) {
        this.presenceHits.set(presenceAppId, hits);
        const retryAfterSeconds = Math.max(1, Math.ceil((hits[0]! + windowMs - now) / 1000));
        return { kind: 'error', status: 429, retryAfterSeconds, reason: 'presenceLimit' };
      }
      hits.push(now);
      this.presenceHits.set(presenceAppId, hits);
    }
    return { kind: 'none' };
  }
}

/** Fault settings from environment variables, so `npm start` can run with faults on. */
export function faultsFromEnv(env: NodeJS.ProcessEnv): FaultConfigInput {
  if (env.DEVTENANT_FAULTS) {
    try {
      return faultConfigSchema.parse(JSON.parse(env.DEVTENANT_FAULTS));
    } catch (e) {
      throw new Error(`DEVTENANT_FAULTS is not valid fault JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  const num = (name: string) => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got '${v}'`);
    return n;
  };
  const rule: FaultRule = { target: 'graph', match: env.DEVTENANT_FAULT_MATCH || '*' };
  const latency = num('DEVTENANT_LATENCY_MS');
  const jitter = num('DEVTENANT_LATENCY_RANDOM_MS');
  if (latency || jitter) rule.latency = { fixedMs: latency ?? 0, randomMs: jitter ?? 0 };
  const r429 = num('DEVTENANT_RATE_429');
  const r503 = num('DEVTENANT_RATE_503');
  if (r429 || r503) rule.errors = { rate429: r429 ?? 0, rate503: r503 ?? 0, retryAfterSeconds: num('DEVTENANT_RETRY_AFTER_SECONDS') ?? 1 };
  const drop = num('DEVTENANT_DROP_RATE');
  if (drop) rule.dropRate = drop;
  const presenceLimit = env.DEVTENANT_PRESENCE_LIMIT === 'on' || env.DEVTENANT_PRESENCE_LIMIT === 'true';
  return { rules: Object.keys(rule).length > 2 ? [rule] : [], presenceLimit: { enabled: presenceLimit, limit: 1500, windowSeconds: 30 } };
}
