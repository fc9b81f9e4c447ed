import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from '../../tests/support/graphTestServer';
import { collectAll } from './paging';

describe('collectAll', () => {
  let g: TestGraph;
  beforeEach(async () => {
    g = await startTestGraph();
  });
  afterEach(async () => g.close());

  it('follows nextLink as given until the collection ends', async () => {
    g.script((req) => {
      const n = Number(new URL(req.url, 'https://x').searchParams.get('$skiptoken'));
      return {
        status: 200,
        body: { value: [n], ...(n < 3 ? { '@odata.nextLink': `https://${req.headers.host}/v1.0/users?$skiptoken=${n + 1}` } : {}) },
      };
    });
    const first = await g.client.api('/users?$skiptoken=0').get();
    expect(await collectAll(g.client, first)).toEqual([0, 1, 2, 3]);
    expect(g.seen.map((s) => s.url)).toEqual([
      '/v1.0/users?$skiptoken=0',
      '/v1.0/users?$skiptoken=1',
      '/v1.0/users?$skiptoken=2',
      '/v1.0/users?$skiptoken=3',
    ]);
  });

  it('stops after maxPages when the links never end', async () => {
    g.script((req) => ({
      status: 200,
      body: { value: [req.url], '@odata.nextLink': `https://${req.headers.host}/v1.0/users?$skiptoken=again` },
    }));
    const first = await g.client.api('/users').get();
    expect(await collectAll(g.client, first, 3)).toHaveLength(3);
    expect(g.seen).toHaveLength(3);
  });
});
