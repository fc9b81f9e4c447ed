/**
 * The one small interface for state that several instances must share: key-value with expiry, a
 * set-if-absent lock, and publish/subscribe. Values are strings (JSON), so an implementation can be a
 * process's memory (the default) or a shared server such as Redis, with the same behaviour.
 */
export interface Store {
  get(key: string): Promise<string | undefined>;
  /** ttlMs: the value is gone after that long (none: until deleted). */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets the value only if the key holds none; true when this call set it (a lock, or a once-only mark). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Several values in one round trip (Redis MGET), in the order of the keys; undefined where none. */
  getMany(keys: string[]): Promise<Array<string | undefined>>;
  /** Several values, each with its own TTL, in one round trip (a Redis pipeline). */
  setMany(entries: Array<{ key: string; value: string; ttlMs?: number }>): Promise<void>;
  /** Several keys gone in one round trip (Redis DEL). */
  deleteMany(keys: string[]): Promise<void>;
  /** Delivers the message to every subscriber of the channel, in this process and (shared stores) others. */
  publish(channel: string, message: string): Promise<void>;
  /** Returns a function that ends the subscription. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** 'down' while a shared store cannot be reached (the health check then answers 503); memory is always 'ok'. */
  health?(): StoreHealth;
}

export type StoreHealth = 'ok' | 'down';

/** A shared store could not be reached (connection lost, timed out): the command failed at once rather than wait. */
export class StoreUnavailableError extends Error {
  readonly code = 'storeUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A document with a version, for optimistic concurrency (botbuilder's eTag). */
export interface Versioned {
  value: string;
  version: string;
}

/** Documents written only while their version is still the one the writer read. */
export interface VersionedStore {
  readVersioned(key: string): Promise<Versioned | undefined>;
  /**
   * Stores `value` under a new `version` if the key holds nothing, or `expected` is undefined
   * (unconditional), or the key's version equals `expected`; false (nothing written) otherwise.
   */
  writeVersioned(key: string, value: string, version: string, expected: string | undefined, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

/** JSON helpers over a Store. */
export async function getJson<T>(store: Store, key: string): Promise<T | undefined> {
  const raw = await store.get(key);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

export const setJson = (store: Store, key: string, value: unknown, ttlMs?: number) => store.set(key, JSON.stringify(value), ttlMs);
