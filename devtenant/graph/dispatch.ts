/** Runs one Graph request (HTTP or $batch item) through counting, faults, auth and the route. */
import type { DevTenantContext } from '../context';
import { GraphRouter, splitGraphPath, authenticate, authorize, type GraphRequest, type GraphResponse } from './core';
import { GraphError, errorBody, graphHeaders, GRAPH_JSON, newRequestId, badRequest } from './errors';

export interface RawGraphRequest {
  method: string;
  /** '/v1.0/users?$select=id', i.e. path and query, version included. */
  url: string;
  headers: Record<string, string | undefined>;
  body: unknown;
  inBatch: boolean;
}

export type DispatchResult = GraphResponse & { headers: Record<string, string>; drop?: boolean };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function throttledError(status: number, retryAfterSeconds: number | undefined, reason: string): GraphError {
  const headers: Record<string, string> = retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {};
  if (status === 429) {
    return new GraphError(
      429,
      'TooManyRequests',
      reason === 'presenceLimit' ? 'Too many requests. The presence limit of the application was exceeded.' : 'Please retry again later.',
      {
        headers,
        innerError: { code: '429', message: 'Please retry after', status: '429' },
      },
    );
  }
  if (status === 503)
    return new GraphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.', { headers });
  if (status === 504) return new GraphError(504, 'gatewayTimeout', 'The gateway timed out.', { headers });
  if (status === 502) return new GraphError(502, 'badGateway', 'Bad gateway.', { headers });
  return new GraphError(status, 'generalException', 'An internal server error occurred.', { headers });
}

export async function dispatchGraph(ctx: DevTenantContext, router: GraphRouter, raw: RawGraphRequest): Promise<DispatchResult> {
  const requestId = newRequestId();
  const clientRequestId = raw.headers['client-request-id'] || requestId;
  const baseHeaders = graphHeaders(requestId, clientRequestId);
  const counterPrefix = raw.inBatch ? 'graph-batch-item' : 'graph';
  let routeKey = 'unmatched';
  try {
    const url = new URL(raw.url, 'https://graph.invalid');
    const { version, path: rawPath } = splitGraphPath(url.pathname);
    const viaMe = /^\/me(\/|$)/i.test(rawPath);
    const routePath = viaMe ? rawPath.replace(/^\/me/i, '/users/{me}') : rawPath;
    let matched;
    try {
      matched = router.match(raw.method.toUpperCase(), version, routePath);
      routeKey = router.routeKey(matched.route, version);
    } finally {
      ctx.counters.increment(`${counterPrefix} ${routeKey}`);
      // Items of a $batch share the batch's id: the batch is the request that is tried again.
      if (!raw.inBatch && raw.headers['client-request-id']) ctx.counters.attempt(raw.headers['client-request-id']);
    }
    const { route, params } = matched;

    // Latency stands for the network: items inside a $batch do not cross it again.
    const latency = raw.inBatch ? 0 : ctx.faults.latencyMs(routeKey);
    if (latency > 0) await sleep(latency);

    const identity = await authenticate(raw.headers.authorization, ctx);
    const decision = ctx.faults.decide(routeKey, route.presenceLimited ? identity.appId : undefined);
    if (decision.kind === 'drop') return { status: 0, headers: baseHeaders, drop: true };
    if (decision.kind === 'error') throw throttledError(decision.status, decision.retryAfterSeconds, decision.reason);

    if (viaMe) {
      if (identity.kind !== 'delegated' || !identity.userId)
        throw badRequest('/me request is only valid with delegated authentication flow.');
      for (const k of Object.keys(params)) if (params[k] === '{me}') params[k] = identity.userId;
    }
    const req: GraphRequest = {
      method: raw.method.toUpperCase(),
      version,
      path: viaMe && identity.userId ? routePath.replace('{me}', identity.userId) : routePath,
      query: url.searchParams,
      headers: raw.headers,
      body: raw.body,
      requestId,
      clientRequestId,
      inBatch: raw.inBatch,
      viaMe,
      identity,
      params,
    };
    authorize(typeof route.permissions === 'function' ? route.permissions(req, ctx) : route.permissions, identity);
    const res = await route.handler(req, ctx);
    const headers: Record<string, string> = { ...baseHeaders, ...res.headers };
    if (res.raw) headers['Content-Type'] = res.contentType ?? 'application/octet-stream';
    else if (res.body !== undefined) headers['Content-Type'] = GRAPH_JSON;
    return { ...res, headers };
  } catch (e) {
    const err = e instanceof GraphError ? e : new GraphError(500, 'generalException', 'An internal server error occurred.');
    if (!(e instanceof GraphError)) console.error(`[devtenant] graph ${raw.method} ${raw.url.split('?')[0]}: ${(e as Error).stack ?? e}`);
    return {
      status: err.status,
      body: errorBody(err, requestId, clientRequestId),
      headers: { ...baseHeaders, 'Content-Type': GRAPH_JSON, ...err.extra.headers },
    };
  }
}
