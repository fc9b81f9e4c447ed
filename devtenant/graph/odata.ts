/** The OData query options the dev tenant understands: $select, $filter (a few forms), $top, $count, paging. */
import { badRequest } from './errors';

/** Graph accepts system query options with or without the leading $. */
export function queryOption(query: URLSearchParams, name: string): string | undefined {
  return query.get(`$${name}`) ?? query.get(name) ?? undefined;
}

export function applySelect<T extends Record<string, unknown>>(obj: T, select: string | undefined): Record<string, unknown> {
  if (!select) return obj;
  const fields = select
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const key = Object.keys(obj).find((k) => k.toLowerCase() === f.toLowerCase());
    out[key ?? f] = key ? obj[key] : null;
  }
  return out;
}

/** Parses `prop/sub eq true` clauses joined by `and`; returns [path, value] pairs. */
export function parseBooleanEqFilter(filter: string): Array<[string, boolean]> {
  const clauses = filter.split(/\s+and\s+/i);
  return clauses.map((clause) => {
    const m = /^\s*\(?\s*([A-Za-z]+(?:\/[A-Za-z]+)*)\s+eq\s+(true|false)\s*\)?\s*$/i.exec(clause);
    if (!m) throw badRequest(`Invalid filter clause: The query specified in the URI is not valid. '${clause.trim()}'`);
    return [m[1]!, m[2]!.toLowerCase() === 'true'];
  });
}

export interface Page<T> {
  items: T[];
  nextSkip?: number;
}

export function pageOf<T>(all: T[], query: URLSearchParams, defaultPageSize: number): Page<T> {
  const top = queryOption(query, 'top');
  const size = top ? Math.max(1, Math.min(Number.parseInt(top, 10) || defaultPageSize, 999)) : defaultPageSize;
  const token = queryOption(query, 'skiptoken') ?? query.get('$skipToken') ?? undefined;
  let skip = 0;
  if (token) {
    const decoded = Number.parseInt(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^skip:/, ''),
      10,
    );
    if (!Number.isFinite(decoded) || decoded < 0) throw badRequest('Invalid $skiptoken.', 'BadRequest');
    skip = decoded;
  }
  const items = all.slice(skip, skip + size);
  return { items, nextSkip: skip + size < all.length ? skip + size : undefined };
}

/** The absolute nextLink: the original request with every option kept and a $skiptoken for the next page. */
export function nextLink(origin: string, version: string, path: string, query: URLSearchParams, nextSkip: number): string {
  const q = new URLSearchParams(query);
  q.delete('$skiptoken');
  q.delete('skiptoken');
  q.delete('$skipToken');
  q.set('$skiptoken', Buffer.from(`skip:${nextSkip}`).toString('base64url'));
  return `${origin}/${version}${path}?${q.toString().replace(/%24/g, '$')}`;
}
