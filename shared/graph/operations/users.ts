/**
 * People by id: `$filter=id in (...)` takes at most 15 ids, so several such requests go in one
 * `$batch` (at most 20 per batch): 300 people per round trip, never one request per person.
 */
import { GraphError, ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { User } from '@microsoft/microsoft-graph-types';
import { chunk, collectAll, type Collection } from '../paging';
import { toDelegateDeskError } from '../errors';
import { RetryBudget } from '../retry';

export const MAX_IN_FILTER = 15;
export const MAX_BATCH = 20;
export const USER_FIELDS = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'jobTitle',
  'department',
  'officeLocation',
];

export type DirectoryUser = Pick<
  User,
  'id' | 'displayName' | 'givenName' | 'surname' | 'userPrincipalName' | 'mail' | 'jobTitle' | 'department' | 'officeLocation'
>;

const filterUrl = (ids: string[]) =>
  `/users?$filter=${encodeURIComponent(`id in (${ids.map((i) => `'${i.replace(/'/g, "''")}'`).join(',')})`)}&$select=${USER_FIELDS.join(',')}`;

interface BatchItemResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const header = (r: BatchItemResponse, name: string) => Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

function itemError(r: BatchItemResponse): GraphError {
  const err = new GraphError(r.status, (r.body as { error?: { message?: string } })?.error?.message ?? 'batch item failed');
  err.body = JSON.stringify(r.body);
  err.headers = new Headers(r.headers ?? {});
  return err;
}

/**
 * Runs GET requests in one $batch, re-sending throttled items (Graph SDKs do not) in a new batch.
 * One RetryBudget covers every HTTP attempt of the batch, whether the middleware retries the POST or
 * we send a new round: at most maxAttempts POSTs in all, so no item is sent more than that. A retried
 * POST carries every pending item again; after a 429/503 on the POST none of them ran, after a drop
 * some may have, but they are reads and that attempt counted too.
 *
 * The SDK's BatchRequestContent is not used: it takes Request objects, which need absolute URLs, and
 * keeps their path, so item URLs would start with /v1.0 where Graph wants them version-relative.
 * BatchResponseContent turns an item's JSON body into "[object Object]" unless its header is spelled
 * exactly `Content-Type`; the items are read as the plain JSON they are.
 */
async function batchGet(client: Client, urls: string[], what: string): Promise<unknown[]> {
  const results: unknown[] = new Array(urls.length);
  const budget = new RetryBudget();
  let pending = urls.map((url, i) => ({ id: String(i), method: 'GET', url }));
  while (pending.length > 0) {
    const res = (await client.api('/$batch').middlewareOptions([budget]).post({ requests: pending })) as { responses: BatchItemResponse[] };
    const throttled = new Set<string>();
    let wait = 0;
    for (const r of res.responses) {
      if (r.status === 429 || r.status === 503 || r.status === 504) {
        throttled.add(r.id);
        wait = Math.max(wait, budget.delayMs(header(r, 'retry-after')));
        if (!budget.allows(wait)) throw toDelegateDeskError(itemError(r), what);
      } else if (r.status >= 400) {
        throw toDelegateDeskError(itemError(r), what);
      } else {
        results[Number(r.id)] = r.body;
      }
    }
    pending = pending.filter((p) => throttled.has(p.id));
    if (pending.length) {
      await new Promise((r) => setTimeout(r, wait));
      budget.waitedMs += wait;
    }
  }
  return results;
}

export async function getUsersByIds(client: Client, ids: string[]): Promise<DirectoryUser[]> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  if (unique.length === 0) return [];
  const urls = chunk(unique, MAX_IN_FILTER).map(filterUrl);
  try {
    if (urls.length === 1) {
      const first = (await client.api(urls[0]!).get()) as Collection<DirectoryUser>;
      return await collectAll(client, first);
    }
    const pages = await Promise.all(chunk(urls, MAX_BATCH).map((group) => batchGet(client, group, 'reading people')));
    return pages.flat().flatMap((body) => (body as Collection<DirectoryUser>).value);
  } catch (e) {
    throw toDelegateDeskError(e, 'reading people');
  }
}

/** The user's photo, or null when they have none. */
export async function getPhoto(client: Client, userId: string, size = '96x96'): Promise<{ bytes: Buffer; contentType: string } | null> {
  try {
    const res = (await client
      .api(`/users/${encodeURIComponent(userId)}/photos/${size}/$value`)
      .responseType(ResponseType.RAW)
      .get()) as Response;
    if (res.status === 404) return null;
    if (!res.ok) {
      const err = new GraphError(res.status, 'photo');
      err.body = await res.text();
      err.headers = res.headers;
      throw err;
    }
    return { bytes: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? 'image/jpeg' };
  } catch (e) {
    throw toDelegateDeskError(e, 'reading a photo');
  }
}

/** People whose display name or surname starts with the text, or whose UPN is it (directory search). */
export async function searchPeople(client: Client, text: string, top = 10): Promise<DirectoryUser[]> {
  const q = text.trim().replace(/'/g, "''");
  if (!q) return [];
  const select = `$select=${USER_FIELDS.join(',')}&$top=${top}`;
  // One request: the name's start in any of the three name properties (or the exact UPN).
  const filter = q.includes('@')
    ? `userPrincipalName eq '${q}'`
    : ['displayName', 'givenName', 'surname'].map((p) => `startswith(${p},'${q}')`).join(' or ');
  try {
    const page = (await client.api(`/users?$filter=${encodeURIComponent(filter)}&${select}`).get()) as Collection<DirectoryUser>;
    return page.value.filter((u) => u.id);
  } catch (e) {
    throw toDelegateDeskError(e, 'looking people up');
  }
}
