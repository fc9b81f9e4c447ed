/** The bench's reading of the dev tenant's request log: requests counted by kind, sequential rounds from their times. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../devtenant/testkit';
import { devTenantRequestLog, type RequestLog } from './requestLog';

describe('devTenantRequestLog', () => {
  let dt: TestTenant;
  let log: RequestLog;
  let graph: (path: string) => Promise<unknown>;
  beforeAll(async () => {
    dt = await startTestTenant();
    const token = await dt.graphToken('ada');
    graph = (path) => dt.graph(token).api(path).get();
    log = devTenantRequestLog(dt.port);
    // As in the benches: latency well above loopback's processing time, so requests sent together overlap.
    await dt.admin('PUT', '/faults', { rules: [{ match: '*', latency: { fixedMs: 200 } }] });
  });
  afterAll(async () => {
    log.stop();
    await dt.close();
  });

  it('counts one round for requests in flight together and one more for each that waited for an answer', async () => {
    log.reset();
    await Promise.all([graph('/me'), graph('/users'), graph('/me/presence')]);
    expect(log.count('graph')).toBe(3);
    expect(log.rounds()).toBe(1);
    await graph('/me');
    await Promise.all([graph('/me'), graph('/users')]);
    expect(log.count('graph')).toBe(6);
    expect(log.rounds()).toBe(3);
  });

  it('tells token requests from Graph requests and leaves the admin API out of the rounds', async () => {
    log.reset();
    await dt.ssoToken('ben');
    await dt.admin('GET', '/counters');
    await graph('/me');
    expect([log.count('token'), log.count('graph'), log.count('admin')]).toEqual([1, 1, 1]);
    expect(log.rounds()).toBe(2);
    expect(log.rounds(['graph'])).toBe(1);
  });

  it('sees nothing once stopped, and nothing of another server', async () => {
    const other = devTenantRequestLog(1);
    await graph('/me');
    expect(other.entries).toHaveLength(0);
    other.stop();
    log.stop();
    log.reset();
    await graph('/me');
    expect(log.entries).toHaveLength(0);
  });
});
