/**
 * People by id: `$filter=id in (...)` takes at most 15 ids, so several such requests go in one
 * `$batch` (at most 20 per batch): 300 people per round trip, never one request per person.
 */
import { GraphError, ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { User } from '@microsoft/microsoft-graph-types';
import { chunk, collectAll, type Collection } from '../paging';
import { toDelegateDeskError } from '../errors';
import { retryAfterMs } from '../retry';

export const MAX_IN_FILTER = 15;
export const MAX_BATCH = 20;
export const USER_FIELDS = ['id', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'jobTitle', 'department', 'officeLocation'];

export type DirectoryUser = Pick<User, 'id' | 'displayName' | 'givenName' | 'surname' | 'userPrincipalName' | 'mail' | 'jobTitle' | 'department' | 'officeLocation'>;

const filterUrl = (ids: string[]) => `/users?$filter=${encodeURIComponent(`id in (${ids.map((i) => `'${i.replace(/'/g, "''")}'`).join(',')})`)}&$select=${USER_FIELDS.join(',')}`;

interface BatchResponse {
  responses: Array<{ id: string; status: number; headers?: Record<string, string>; body?: unknown }>;
}

/** Runs GET requests in one $batch, retrying throttled items (Graph SDKs do not) a couple of times. */
async function batchGet(client: Client, urls: string[], what: string): Promise<unknown[]> {
  const results: unknown[] = new Array(urls.length);
  let pending = urls.map((url, i) => ({ id: String(i), url }));
  for (let round = 0; pending.length > 0; round++) {
    const res = (await client.api('/$batch').post({ requests: pending.map((p) => ({ id: p.id, method: 'GET', url: p.url })) })) as BatchResponse;
    const throttled: typeof pending = [];
    let wait = 0;
    for (const r of res.responses) {
      const item = pending.find((p) => p.id === r.id)!;
      if ((r.status === 429 || r.status === 503) && round < 2) {
        throttled.push(item);
        wait = Math.max(wait, retryAfterMs(r.headers?.['Retry-After'] ?? r.headers?.['retry-after'] ?? null) ?? 1000);
      } else if (r.status >= 400) {
        const err = new GraphError(r.status, JSON.stringify((r.body as { error?: { message?: string } })?.error?.message ?? 'batch item failed'));
        err.body = JSON.stringify(r.body);
        err.headers = new Headers(r.headers ?? {});
        throw toDelegateDeskError(err, what);
      } else {
        results[Number(r.id)] = r.body;
      }
    }
    pending = throttled;
    if (pending.length) await new Promise((r) => setTimeout(r, Math.min(wait, 10_000)));
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

export async function getUser(client: Client, idOrUpn: string): Promise<DirectoryUser> {
  try {
    return (await client.api(`/users/${encodeURIComponent(idOrUpn)}`).select(USER_FIELDS).get()) as DirectoryUser;
  } catch (e) {
    throw toDelegateDeskError(e, 'reading a person');
  }
}

/** The user's photo, or null when they have none. */
export async function getPhoto(client: Client, userId: string, size = '96x96'): Promise<{ bytes: Buffer; contentType: string } | null> {
  try {
    const res = (await client.api(`/users/${encodeURIComponent(userId)}/photos/${size}/$value`).responseType(ResponseType.RAW).get()) as Response;
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
  const filter = q.includes('@') ? `userPrincipalName eq '${q}'` : ['displayName', 'givenName', 'surname'].map((p) => `startswith(${p},'${q}')`).join(' or ');
  try {
    const page = (await client.api(`/users?$filter=${encodeURIComponent(filter)}&${select}`).get()) as Collection<DirectoryUser>;
    return page.value.filter((u) => u.id);
  } catch (e) {
    throw toDelegateDeskError(e, 'looking people up');
  }
}
