/** Express glue for Graph: turns an HTTP request into a dispatch and writes the result back. */
import express, { type Router } from 'express';
import type { DevTenantContext } from '../context';
import { dispatchGraph } from './dispatch';
import type { GraphRouter } from './core';

export function graphHttp(ctx: DevTenantContext, router: GraphRouter): Router {
  const r = express.Router();
  r.options(/^\/(v1\.0|beta)(\/.*)?$/, (_req, res) => {
    res
      .set({
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, client-request-id, ConsistencyLevel, Prefer, SdkVersion',
        'Access-Control-Max-Age': '3600',
      })
      .status(204)
      .end();
  });
  r.all(/^\/(v1\.0|beta)(\/.*)?$/, express.json({ limit: '4mb', type: () => true }), async (req, res) => {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const hasBody =
      req.body !== undefined &&
      !(typeof req.body === 'object' && req.body !== null && Object.keys(req.body).length === 0 && !req.headers['content-length']);
    const result = await dispatchGraph(ctx, router, {
      method: req.method,
      url: req.originalUrl,
      headers,
      body: hasBody ? req.body : undefined,
      inBatch: false,
    });
    if (result.drop) {
      req.socket.destroy();
      return;
    }
    res.status(result.status).set(result.headers);
    if (result.raw) res.end(result.raw);
    else if (result.body !== undefined) res.end(JSON.stringify(result.body));
    else res.end();
  });
  return r;
}
