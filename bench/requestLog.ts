/**
 * The dev tenant's request log as the bench reads it: every request its HTTPS server receives, with
 * when it arrived and when its answer was written (node's http diagnostics channels, so the dev tenant
 * itself is not changed). Sequential rounds are counted from these times, not from elapsed ÷ latency.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LoggedRequest {
  method: string;
  path: string;
  kind: 'token' | 'graph' | 'entra' | 'admin' | 'other';
  start: number;
  end?: number;
  status?: number;
  /** The answer's Content-Length, where it had one. */
  bytes?: number;
}

interface ChannelMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
}

const kindOf = (path: string): LoggedRequest['kind'] =>
  /\/oauth2\/v2\.0\/token$/.test(path)
    ? 'token'
    : /^\/(v1\.0|beta)\//.test(path)
      ? 'graph'
      : path.startsWith('/devtenant')
        ? 'admin'
        : /^\/[^/]+\/(discovery|v2\.0\/\.well-known|oauth2)/.test(path) || path.startsWith('/common/')
          ? 'entra'
          : 'other';

export interface RequestLog {
  readonly entries: LoggedRequest[];
  reset(): void;
  count(kind: LoggedRequest['kind']): number;
  /**
   * The longest chain of requests each of which arrived after the one before it was answered: the
   * sequential round trips on the critical path (admin requests of the bench left out). Meaningful
   * where injected latency is well above loopback's processing time, as in the benches: without it a
   * request sent together with others may be answered before the last of them arrives. `before`: only
   * requests that arrived before that time (performance.now()), e.g. before the answer they lead to.
   */
  rounds(kinds?: LoggedRequest['kind'][], before?: number): number;
  stop(): void;
}

/** Starts logging the requests that reach the server listening on `port` (the dev tenant's, or the product's). */
export function devTenantRequestLog(port: number): RequestLog {
  let entries: LoggedRequest[] = [];
  const open = new WeakMap<IncomingMessage, LoggedRequest>();
  const onStart = (m: unknown) => {
    const { request, socket } = m as ChannelMessage;
    if (socket.localPort !== port) return;
    const path = (request.url ?? '').split('?')[0]!;
    const e: LoggedRequest = { method: request.method ?? '', path, kind: kindOf(path), start: performance.now() };
    open.set(request, e);
    entries.push(e);
  };
  const onFinish = (m: unknown) => {
    const { request, response } = m as ChannelMessage;
    const e = open.get(request);
    if (!e) return;
    e.end = performance.now();
    e.status = response.statusCode;
    const length = Number(response.getHeader('content-length'));
    if (Number.isFinite(length)) e.bytes = length;
  };
  dc.subscribe('http.server.request.start', onStart);
  dc.subscribe('http.server.response.finish', onFinish);
  const log: RequestLog = {
    get entries() {
      return entries;
    },
    reset: () => void (entries = []),
    count: (kind) => entries.filter((e) => e.kind === kind).length,
    rounds: (kinds = ['token', 'graph', 'entra'], before = Infinity) => {
      const rs = entries.filter((e) => kinds.includes(e.kind) && e.start < before).sort((a, b) => a.start - b.start);
      const depth: number[] = [];
      rs.forEach((r, i) => {
        let d = 0;
        for (let j = 0; j < i; j++) if ((rs[j]!.end ?? Infinity) <= r.start) d = Math.max(d, depth[j]!);
        depth.push(d + 1);
      });
      return Math.max(0, ...depth);
    },
    stop: () => {
      dc.unsubscribe('http.server.request.start', onStart);
      dc.unsubscribe('http.server.response.finish', onFinish);
    },
  };
  return log;
}
