/**
 * One presence lookup for many users at once (the Graph Toolkit's single presence poller, on the server):
 * lookups that arrive while a getPresencesByUserId call is in flight wait for it when it already carries
 * their ids, and are merged into the one call that follows it otherwise. So a burst of tabs and chats costs
 * two calls, not one per person, which keeps the app under Graph's 1,500 presence requests per 30 s.
 */
import type { GraphPresence } from './graph/operations/presence';
import { GraphThrottledError, GraphUnavailableError } from './errors';

/** Fetches presences with one requester's Graph client. */
export type PresenceFetch = (ids: string[]) => Promise<GraphPresence[]>;

interface Batch {
  ids: Set<string>;
  /** Whose client makes the call: the first requester's. */
  owner: PresenceFetch;
  result: Promise<Map<string, GraphPresence>>;
  settle(fetched: GraphPresence[] | Error): void;
}

export class PresenceBatcher {
  /** Each id's pending lookup: in flight, or queued for the next call. */
  private readonly pending = new Map<string, Batch>();
  private queued: Batch | null = null;
  private running = false;

  /** @param maxWaitMs how long everyone waits for one call before it counts as unavailable (stale presence is then shown). */
  constructor(private readonly maxWaitMs = 10_000) {}

  async request(ids: string[], fetch: PresenceFetch): Promise<GraphPresence[]> {
    const wanted = [...new Set(ids.map((i) => i.toLowerCase()))];
    const batches = new Set<Batch>();
    for (const id of wanted) {
      let batch = this.pending.get(id);
      if (!batch) {
        batch = this.queued ??= newBatch(fetch);
        batch.ids.add(id);
        this.pending.set(id, batch);
      }
      batches.add(batch);
    }
    // Let lookups of the same turn join before the first call starts.
    if (this.queued && !this.running) queueMicrotask(() => this.flush());
    try {
      const results = await Promise.all([...batches].map((b) => b.result));
      return wanted.flatMap((id) => results.map((r) => r.get(id)).find((p) => p !== undefined) ?? []);
    } catch (e) {
      // Throttling and outages are the app's, not the owner's: everyone sees them. Anything else (a
      // token problem of whoever owned the call) must not become another person's error: the others ask
      // again, together, in a call one of them owns.
      if (e instanceof GraphThrottledError || e instanceof GraphUnavailableError || [...batches].every((b) => b.owner === fetch)) throw e;
      return this.request(wanted, fetch);
    }
  }

  private flush(): void {
    const batch = this.queued;
    if (this.running || !batch) return;
    this.queued = null;
    this.running = true;
    // One slow call must not hold presence for the whole tenant: past maxWaitMs the waiters get an
    // outage (and their last known presence), and the next call may start.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GraphUnavailableError('Presence did not arrive in time.')), this.maxWaitMs);
    });
    // The batch is done before its waiters hear of it, so a waiter that asks again starts a new one.
    const finish = (outcome: GraphPresence[] | Error) => {
      clearTimeout(timer);
      for (const id of batch.ids) if (this.pending.get(id) === batch) this.pending.delete(id);
      this.running = false;
      batch.settle(outcome);
      this.flush();
    };
    Promise.race([batch.owner([...batch.ids]), deadline]).then(finish, (e: unknown) =>
      finish(e instanceof Error ? e : new Error(String(e))),
    );
  }
}

function newBatch(owner: PresenceFetch): Batch {
  let settle!: Batch['settle'];
  const result = new Promise<Map<string, GraphPresence>>((resolve, reject) => {
    settle = (fetched) =>
      fetched instanceof Error ? reject(fetched) : resolve(new Map(fetched.filter((p) => p.id).map((p) => [p.id!.toLowerCase(), p])));
  });
  // Nobody may be listening when a batch fails after its waiters moved on; do not crash the process.
  result.catch(() => {});
  return { ids: new Set(), owner, result, settle };
}
