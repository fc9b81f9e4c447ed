import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestGraph, throttled, type Reply, type Seen, type TestGraph } from '../../../tests/support/graphTestServer';
import { GraphThrottledError } from '../../errors';
import { getUsersByIds } from './users';

interface Item {
  id: string;
  method: string;
  url: string;
}

/** 16 ids: two `in` filters, so one $batch of two items. */
const IDS = Array.from({ length: 16 }, (_, i) => `u${i}`);

describe('getUsersByIds $batch retry', () => {
  let g: TestGraph;
  const posts = () => g.seen.filter((s) => s.url === '/v1.0/$batch');
  const itemsOf = (s: Seen) => (JSON.parse(s.body) as { requests: Item[] }).requests;
  /** Answers each $batch item as `item` says, given how often that item has been sent (1 the first time). */
  const batch = (item: (id: string, sent: number) => number, envelope: (post: number) => Reply | undefined = () => undefined) =>
    g.script((req) => {
      const post = posts().length;
      const early = envelope(post);
      if (early) return early;
      const responses = itemsOf(req).map((i) => {
        const status = item(i.id, posts().filter((p) => itemsOf(p).some((x) => x.id === i.id)).length);
        return status === 200
          ? { id: i.id, status, headers: { 'Content-Type': 'application/json' }, body: { value: [{ id: `user-${i.id}` }] } }
          : {
              id: i.id,
              status,
              headers: { 'Retry-After': '0' },
              body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
            };
      });
      return { status: 200, body: { responses } };
    });

  beforeEach(async () => {
    g = await startTestGraph();
  });
  afterEach(async () => g.close());

  it('sends only the throttled items again, in a new batch', async () => {
    batch((id, sent) => (id === '1' && sent === 1 ? 429 : 200));
    const users = await getUsersByIds(g.client, IDS);
    expect(users.map((u) => u.id).sort()).toEqual(['user-0', 'user-1']);
    expect(posts().map((p) => itemsOf(p).map((i) => i.id))).toEqual([['0', '1'], ['1']]);
  });

  it('gives up after 3 tries in all when the items are throttled every time', async () => {
    batch(() => 429);
    await expect(getUsersByIds(g.client, IDS)).rejects.toBeInstanceOf(GraphThrottledError);
    expect(posts()).toHaveLength(3);
  });

  it('counts retries of the $batch POST itself against the same 3 tries', async () => {
    batch(
      () => 429,
      (post) => (post === 1 ? throttled('0') : undefined),
    );
    await expect(getUsersByIds(g.client, IDS)).rejects.toBeInstanceOf(GraphThrottledError);
    expect(posts()).toHaveLength(3);
    // The first POST was refused whole; each item ran at most twice.
    expect(
      posts()
        .slice(1)
        .every((p) => itemsOf(p).length === 2),
    ).toBe(true);
  });

  it('sends a $batch of GETs again after a dropped connection', async () => {
    batch(
      () => 200,
      (post) => (post === 1 ? 'drop' : undefined),
    );
    await expect(getUsersByIds(g.client, IDS)).resolves.toHaveLength(2);
    expect(posts()).toHaveLength(2);
  });
});
