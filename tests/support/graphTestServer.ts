/**
 * Test code only: a local HTTPS server standing in for Graph, answering as each test scripts it
 * (including by dropping the connection or never answering), and a real Graph client pointing at it.
 * HTTPS because the SDK's AuthenticationHandler attaches tokens to https URLs only; the dev CA is
 * trusted in test workers (vitest.config.ts).
 */
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createGraphClient } from '../../shared/graph/client';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../shared/graph/retry';
import { ensureDevCertificates } from '../../devtenant/certs';

export interface Seen {
  method: string;
  /** Path and query, e.g. /v1.0/me. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Reply =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Closes the socket without answering. */
  | 'drop'
  /** Sends the headers and part of the body, then closes the socket. */
  | 'dropMidBody'
  /** Never answers. */
  | 'hang';

export type Script = (req: Seen, seen: Seen[]) => Reply;

/** The default policy (its maxAttempts included) with tiny delays: tests count requests, they do not wait. */
export const TEST_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  maxTotalWaitMs: 1_000,
  baseDelayMs: 5,
  maxDelayMs: 20,
  attemptTimeoutMs: 150,
};

export interface TestGraph {
  client: Client;
  seen: Seen[];
  /** Requests seen for a path (without the query), e.g. '/v1.0/me'. */
  count(path: string): number;
  script(fn: Script): void;
  close(): Promise<void>;
}

function answer(res: http.ServerResponse, reply: Reply): void {
  if (reply === 'hang') return;
  if (reply === 'drop') return void res.socket?.destroy();
  if (reply === 'dropMidBody') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    return void res.write('{"value":[', () => res.socket?.destroy());
  }
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...(body ? { 'content-type': 'application/json' } : {}), ...reply.headers });
  res.end(body);
}

export async function startTestGraph(policy: Partial<RetryPolicy> = {}): Promise<TestGraph> {
  const seen: Seen[] = [];
  let script: Script = () => ({ status: 404, body: { error: { code: 'NotScripted', message: 'Not scripted.' } } });
  const { cert, key } = await ensureDevCertificates();
  const server = https.createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      answer(res, script(s, seen));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let token = 0;
  const client = createGraphClient(async () => `token-${++token}`, { graphBaseUrl: origin, retry: { ...TEST_POLICY, ...policy } });
  return {
    client,
    seen,
    count: (path) => seen.filter((s) => s.url.split('?')[0] === path).length,
    script: (fn) => void (script = fn),
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Replies in turn, the last one repeated. */
export const inTurn =
  (...replies: Reply[]): Script =>
  (_req, seen) =>
    replies[Math.min(seen.length, replies.length) - 1]!;

/** Graph's answer when throttling: always with its error envelope (the SDK reads headers only then). */
export const throttled = (retryAfter: string): Reply => ({
  status: 429,
  headers: { 'retry-after': retryAfter },
  body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
});
