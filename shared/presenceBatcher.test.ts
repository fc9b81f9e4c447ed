import { describe, expect, it } from 'vitest';
import { PresenceBatcher, type PresenceFetch } from './presenceBatcher';
import { ConsentRequiredError, GraphThrottledError, GraphUnavailableError } from './errors';
import type { GraphPresence } from './graph/operations/presence';

/** A presence source that records its calls and answers when told to. */
function source(name: string) {
  const calls: string[][] = [];
  const releases: Array<() => void> = [];
  let failWith: Error | null = null;
  const fetch: PresenceFetch = async (ids) => {
    calls.push([...ids].sort());
    await new Promise<void>((r) => releases.push(r));
    if (failWith) throw failWith;
    return ids.map((id): GraphPresence => ({ id, availability: `${name}:${id}` }));
  };
  return {
    fetch,
    calls,
    fail: (e: Error) => (failWith = e),
    /** Lets every call made so far answer. */
    release: async () => {
      await new Promise((r) => setTimeout(r, 0));
      releases.splice(0).forEach((r) => r());
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

/** Holds a lookup's outcome so a rejection before the assertion is not reported as unhandled. */
const outcome = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('presence batcher', () => {
  it('merges lookups of the same moment into one call', async () => {
    const b = new PresenceBatcher();
    const a = source('a');
    const one = b.request(['X', 'y'], a.fetch);
    const two = b.request(['y', 'z'], source('b').fetch);
    await a.release();
    expect(a.calls).toEqual([['x', 'y', 'z']]);
    expect((await one).map((p) => p.availability)).toEqual(['a:x', 'a:y']);
    expect((await two).map((p) => p.availability)).toEqual(['a:y', 'a:z']);
  });

  it('lets lookups during a call wait for it, or share the one call after it', async () => {
    const b = new PresenceBatcher();
    const a = source('a');
    const c = source('c');
    const first = b.request(['x', 'y'], a.fetch);
    await new Promise((r) => setTimeout(r, 0));
    expect(a.calls).toHaveLength(1);
    const inFlight = b.request(['x'], c.fetch);
    const later1 = b.request(['x', 'z'], c.fetch);
    const later2 = b.request(['w', 'z'], a.fetch);
    await new Promise((r) => setTimeout(r, 0));
    expect([a.calls.length, c.calls.length]).toEqual([1, 0]); // one call at a time
    await a.release();
    await c.release();
    expect(c.calls).toEqual([['w', 'z']]);
    expect((await first).map((p) => p.id)).toEqual(['x', 'y']);
    expect((await inFlight).map((p) => p.availability)).toEqual(['a:x']);
    expect((await later1).map((p) => p.availability)).toEqual(['a:x', 'c:z']);
    expect((await later2).map((p) => p.availability)).toEqual(['c:w', 'c:z']);
  });

  it("shares throttling with everyone, but never hands one person's sign-in error to another", async () => {
    const b = new PresenceBatcher();
    const owner = source('owner');
    const other = source('other');
    owner.fail(new ConsentRequiredError(['Presence.Read.All']));
    const third = source('third');
    const mine = outcome(b.request(['x'], owner.fetch));
    const theirs = b.request(['x', 'y'], other.fetch);
    const hers = b.request(['z'], third.fetch);
    await owner.release();
    await other.release();
    await third.release();
    expect(((await mine) as { error: unknown }).error).toBeInstanceOf(ConsentRequiredError);
    expect((await theirs).map((p) => p.availability)).toEqual(['other:x', 'other:y']);
    expect((await hers).map((p) => p.availability)).toEqual(['other:z']);
    // The others asked again together: one call, not one each.
    expect([other.calls, third.calls]).toEqual([[['x', 'y', 'z']], []]);

    const t1 = source('t1');
    t1.fail(new GraphThrottledError('busy', 2));
    const t2 = source('t2');
    const a = outcome(b.request(['q'], t1.fetch));
    const c = outcome(b.request(['q'], t2.fetch));
    await t1.release();
    expect(((await a) as { error: unknown }).error).toBeInstanceOf(GraphThrottledError);
    expect(((await c) as { error: unknown }).error).toBeInstanceOf(GraphThrottledError);
    expect(t2.calls).toEqual([]);
  });

  it('gives up on a call that does not answer, as an outage, and lets the next call start', async () => {
    const b = new PresenceBatcher(30);
    const hung: PresenceFetch = () => new Promise(() => {});
    const waiting = outcome(b.request(['x'], hung));
    expect(((await waiting) as { error: unknown }).error).toBeInstanceOf(GraphUnavailableError);
    const a = source('a');
    const next = b.request(['x'], a.fetch);
    await a.release();
    expect((await next).map((p) => p.availability)).toEqual(['a:x']);
  });

  it('forgets an id once its call is over, so the next lookup asks again', async () => {
    const b = new PresenceBatcher();
    const a = source('a');
    const first = b.request(['x'], a.fetch);
    await a.release();
    await first;
    const second = b.request(['x'], a.fetch);
    await a.release();
    await second;
    expect(a.calls).toEqual([['x'], ['x']]);
  });
});
