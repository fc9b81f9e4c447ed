/** POST /$batch: up to 20 requests, dependsOn ordering, 424 on a failed dependency, per-item throttling. */
import type { GraphRoute, GraphRouter, GraphRequest } from './core';
import type { DevTenantContext } from '../context';
import { badRequest, errorBody, GraphError } from './errors';
import { dispatchGraph, type DispatchResult } from './dispatch';

export const MAX_BATCH_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

function validate(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw badRequest('Invalid batch payload format.');
  if (requests.length === 0) throw badRequest('Invalid batch payload format.');
  if (requests.length > MAX_BATCH_REQUESTS)
    throw badRequest(`Number of batch request steps exceeds the maximum value of ${MAX_BATCH_REQUESTS}.`);
  const ids = new Set<string>();
  for (const r of requests as BatchItem[]) {
    if (!r || typeof r.id !== 'string' || !r.id || typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw badRequest('Invalid batch payload format. Every request needs an id, a method and a url.');
    }
    if (ids.has(r.id)) throw badRequest(`Batch request step ids must be unique: '${r.id}' is repeated.`);
    ids.add(r.id);
    if (r.body !== undefined && !Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')) {
      throw badRequest(`Write request id : ${r.id} does not contain Content-Type header or body.`);
    }
  }
  for (const r of requests as BatchItem[]) {
    for (const d of r.dependsOn ?? []) if (!ids.has(d)) throw badRequest(`Request '${r.id}' depends on '${d}', which is not in the batch.`);
  }
  return requests as BatchItem[];
}

/** The item headers Graph returns inside a batch response (not the transport headers). */
function itemHeaders(res: DispatchResult): Record<string, string> {
  const keep: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (['content-type', 'retry-after', 'location', 'etag', 'cache-control'].includes(k.toLowerCase())) keep[k] = v;
  }
  return keep;
}

export function batchRoute(router: GraphRouter): GraphRoute {
  return {
    method: 'POST',
    pattern: '/$batch',
    // Authorization is checked per item; any valid Graph token may post a batch.
    permissions: (req: GraphRequest) =>
      req.identity.kind === 'delegated' ? { delegated: [...req.identity.scopes] } : { application: [...req.identity.roles] },
    handler: async (req, ctx: DevTenantContext) => {
      const items = validate(req.body);
      const results = new Map<string, { id: string; status: number; headers: Record<string, string>; body: unknown }>();
      const pending = new Map<string, Promise<void>>();
      const run = (item: BatchItem): Promise<void> => {
        const existing = pending.get(item.id);
        if (existing) return existing;
        const p = (async () => {
          const deps = (item.dependsOn ?? []).map((d) => items.find((i) => i.id === d)!);
          await Promise.all(deps.map(run));
          const failed = deps.find((d) => (results.get(d.id)?.status ?? 500) >= 400);
          if (failed) {
            results.set(item.id, {
              id: item.id,
              status: 424,
              headers: { 'Content-Type': 'application/json' },
              body: errorBody(
                new GraphError(424, 'FailedDependency', `The request depends on request '${failed.id}', which failed.`),
                req.requestId,
                req.clientRequestId,
              ),
            });
            return;
          }
          const url = item.url.startsWith('/') ? item.url : `/${item.url}`;
          const headers: Record<string, string | undefined> = {
            authorization: req.headers.authorization,
            'client-request-id': req.clientRequestId,
          };
          for (const [k, v] of Object.entries(item.headers ?? {})) headers[k.toLowerCase()] = v;
          const res = await dispatchGraph(ctx, router, {
            method: item.method,
            url: `/${req.version}${url}`,
            headers,
            body: item.body,
            inBatch: true,
          });
          if (res.drop) throw new GraphError(502, 'badGateway', 'Bad gateway.');
          results.set(item.id, {
            id: item.id,
            status: res.status,
            headers: itemHeaders(res),
            body: res.raw ? res.raw.toString('base64') : (res.body ?? null),
          });
        })();
        pending.set(item.id, p);
        return p;
      };
      await Promise.all(items.map(run));
      return { status: 200, body: { responses: items.map((i) => results.get(i.id)!) } };
    },
  };
}
