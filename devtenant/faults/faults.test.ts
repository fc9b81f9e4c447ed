import { describe, expect, it } from 'vitest';
import { Faults, faultsFromEnv } from './faults';

describe('Faults', () => {
  it('matches rules by glob or substring of the route key', () => {
    const f = new Faults(
      { rules: [{ match: 'getPresencesByUserId', errors: { rate429: 1, rate503: 0, retryAfterSeconds: 4 } }] },
      () => 0.5,
    );
    expect(f.decide('POST /v1.0/communications/getPresencesByUserId')).toEqual({
      kind: 'error',
      status: 429,
      retryAfterSeconds: 4,
      reason: 'injected',
    });
    expect(f.decide('GET /v1.0/users/{id}')).toEqual({ kind: 'none' });
  });

  it('draws 429 below rate429 and 503 in the next band', () => {
    let x = 0.1;
    const f = new Faults({ rules: [{ match: '*', errors: { rate429: 0.2, rate503: 0.3, retryAfterSeconds: 1 } }] }, () => x);
    expect(f.decide('any')).toMatchObject({ status: 429 });
    x = 0.4;
    expect(f.decide('any')).toMatchObject({ status: 503 });
    x = 0.6;
    expect(f.decide('any')).toEqual({ kind: 'none' });
  });

  it('fails exactly the next N requests', () => {
    const f = new Faults({ rules: [{ match: '*', failNext: { status: 503, count: 2 } }] });
    expect(f.decide('a').kind).toBe('error');
    expect(f.decide('a').kind).toBe('error');
    expect(f.decide('a').kind).toBe('none');
  });

  it('sums latency of matching rules', () => {
    const f = new Faults(
      {
        rules: [
          { match: '*', latency: { fixedMs: 10, randomMs: 100 } },
          { match: 'presence', latency: { fixedMs: 5, randomMs: 0 } },
        ],
      },
      () => 0.5,
    );
    expect(f.latencyMs('GET /v1.0/users/{id}/presence')).toBe(65);
    expect(f.latencyMs('GET /v1.0/users/{id}')).toBe(60);
  });

  it('limits presence requests per app per window', () => {
    const f = new Faults({ presenceLimit: { enabled: true, limit: 2, windowSeconds: 30 } });
    expect(f.decide('p', 'app1').kind).toBe('none');
    expect(f.decide('p', 'app1').kind).toBe('none');
    const third = f.decide('p', 'app1');
    expect(third).toMatchObject({ kind: 'error', status: 429, reason: 'presenceLimit' });
    expect(f.decide('p', 'app2').kind).toBe('none');
    expect(f.decide('not presence').kind).toBe('none');
  });

  it('rejects invalid settings', () => {
    expect(() => new Faults({ rules: [{ match: '*', errors: { rate429: 2, rate503: 0, retryAfterSeconds: 1 } }] })).toThrow();
  });
});

describe('faultsFromEnv', () => {
  it('drops the next N requests, and keeps Entra rules to network faults of the token endpoint', () => {
    const f = new Faults({ rules: [{ target: 'entra', match: 'oauth2', dropNext: 2, latency: { fixedMs: 7, randomMs: 0 } }] });
    const token = 'POST /{tenant}/oauth2/v2.0/token';
    expect([
      f.decide(token, undefined, 'entra').kind,
      f.decide(token, undefined, 'entra').kind,
      f.decide(token, undefined, 'entra').kind,
    ]).toEqual(['drop', 'drop', 'none']);
    expect(f.latencyMs(token, 'entra')).toBe(7);
    expect(f.latencyMs('GET /v1.0/users', 'graph')).toBe(0); // an Entra rule never touches Graph
    expect(f.decide('GET /v1.0/users').kind).toBe('none');
    expect(() => new Faults({ rules: [{ target: 'entra', errors: { rate429: 1, rate503: 0, retryAfterSeconds: 1 } }] })).toThrow(
      /latency and drops only/,
    );
  });

  it('is all off by default', () => {
    expect(faultsFromEnv({})).toEqual({ rules: [], presenceLimit: { enabled: false, limit: 1500, windowSeconds: 30 } });
  });

  it('reads the simple variables into one rule', () => {
    expect(
      faultsFromEnv({
        DEVTENANT_LATENCY_MS: '50',
        DEVTENANT_RATE_429: '0.1',
        DEVTENANT_FAULT_MATCH: 'presence',
        DEVTENANT_PRESENCE_LIMIT: 'on',
      }),
    ).toEqual({
      rules: [
        {
          target: 'graph',
          match: 'presence',
          latency: { fixedMs: 50, randomMs: 0 },
          errors: { rate429: 0.1, rate503: 0, retryAfterSeconds: 1 },
        },
      ],
      presenceLimit: { enabled: true, limit: 1500, windowSeconds: 30 },
    });
  });

  it('reads full JSON and says what is wrong', () => {
    expect(faultsFromEnv({ DEVTENANT_FAULTS: '{"rules":[{"match":"*","dropRate":0.5}]}' }).rules).toEqual([
      { target: 'graph', match: '*', dropRate: 0.5 },
    ]);
    expect(() => faultsFromEnv({ DEVTENANT_FAULTS: '{nope' })).toThrow(/DEVTENANT_FAULTS/);
    expect(() => faultsFromEnv({ DEVTENANT_RATE_503: 'lots' })).toThrow(/DEVTENANT_RATE_503/);
  });
});
