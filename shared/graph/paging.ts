/**
 * Follows @odata.nextLink until the collection ends (calls the link as given, never parsing it).
 * Not the SDK's PageIterator: its callback is called per item (never for an empty page), so it
 * cannot stop after maxPages, and links that never end would be followed for ever.
 */
import type { Client } from '@microsoft/microsoft-graph-client';

export interface Collection<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

export async function collectAll<T>(client: Client, first: Collection<T>, maxPages = 50): Promise<T[]> {
  const items = [...first.value];
  let next = first['@odata.nextLink'];
  for (let page = 1; next && page < maxPages; page++) {
    const res = (await client.api(next).get()) as Collection<T>;
    items.push(...res.value);
    next = res['@odata.nextLink'];
  }
  return items;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
