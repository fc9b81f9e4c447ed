/**
 * The local entry point of `INSTANCES=2 npm start` (and of the scale tests and bench): one port that
 * spreads requests round-robin over several product servers, as App Service's front end does with ARR
 * affinity off, so nothing may depend on landing on the same instance twice.
 *
 * Like a load balancer it drains an instance whose `/api/health` is not 200 (checked every 2 s, and at
 * once when a connection to it is refused), keeps sending to all of them when none is healthy, and
 * retries a request on the next instance only when it cannot have reached the first (connection refused,
 * or a kept-alive connection found closed). Responses stream through as they come (the push stream is
 * Server-Sent Events); a request body is read first (up to 10 MB) so that it can be sent again.
 * Development and test tooling: the product never imports it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backend {
  name: string;
  /** http://127.0.0.1:<port> */
  url: string;
}

export interface Served {
  method: string;
  path: string;
  /** The backend's name, or '' when none answered (502). */
  backend: string;
  status: number;
}

export interface BalancerOptions {
  port: number;
  host?: string;
  backends: Backend[];
  healthIntervalMs?: number;
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export interface Balancer {
  origin: string;
  port: number;
  /** The last 2,000 requests and who served them, oldest first (tests read which instance got what). */
  served: Served[];
  health(): Array<{ name: string; healthy: boolean }>;
  close(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, not the message, and are not forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const KEEP_SERVED = 2_000;

interface Member extends Backend {
  healthy: boolean;
  /** Healthy once at least: before that (still starting) a failed check is not news. */
  seen: boolean;
  agent: http.Agent;
  target: URL;
}

const endToEnd = (headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([k, v]) => v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())));

export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  const log = options.log ?? ((line: string) => console.warn(line));
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const members: Member[] = options.backends.map((b) => ({
    ...b,
    healthy: true,
    seen: false,
    target: new URL(b.url),
    agent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
  }));
  const served: Served[] = [];
  let next = 0;

  const setHealth = (m: Member, healthy: boolean, why: string) => {
    const news = m.healthy !== healthy && (m.seen || healthy);
    if (healthy && !m.seen) m.seen = true;
    else if (news) log(`[balancer] ${m.name} ${healthy ? 'is back in rotation' : `is drained (${why})`}`);
    m.healthy = healthy;
  };

  /** Round-robin over the healthy members (all of them when none is), each candidate once. */
  const order = (): Member[] => {
    const pool = members.some((m) => m.healthy) ? members.filter((m) => m.healthy) : members;
    const start = next++ % pool.length;
    return [...pool.slice(start), ...pool.slice(0, start)];
  };

  const record = (s: Served) => {
    served.push(s);
    if (served.length > KEEP_SERVED) served.splice(0, served.length - KEEP_SERVED);
  };

  const readBody = (req: http.IncomingMessage) =>
    new Promise<Buffer | 'tooLarge'>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= maxBody) chunks.push(c);
      });
      req.on('end', () => resolve(size > maxBody ? 'tooLarge' : Buffer.concat(chunks)));
      req.on('error', reject);
    });

  /** One attempt: resolves with the backend's response, or 'retry' when the request cannot have reached it. */
  const attempt = (m: Member, req: http.IncomingMessage, body: Buffer) =>
    new Promise<{ upstream: http.ClientRequest; res: http.IncomingMessage } | 'retry' | 'failed'>((resolve) => {
      const headers: http.OutgoingHttpHeaders = {
        ...endToEnd(req.headers),
        'x-forwarded-for': [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', '),
        'x-forwarded-proto': 'http',
        'x-forwarded-host': req.headers.host ?? '',
        'content-length': String(body.length),
      };
      if (body.length === 0 && !['POST', 'PUT', 'PATCH'].includes(req.method ?? '')) delete headers['content-length'];
      const upstream = http.request({
        host: m.target.hostname,
        port: m.target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: m.agent,
      });
      upstream.once('response', (res) => resolve({ upstream, res }));
      upstream.once('error', (e: NodeJS.ErrnoException) => {
        const unreached = e.code === 'ECONNREFUSED' || (upstream.reusedSocket && e.code === 'ECONNRESET');
        if (e.code === 'ECONNREFUSED') setHealth(m, false, 'connection refused');
        resolve(unreached ? 'retry' : 'failed');
      });
      upstream.end(body);
    });

  const server = http.createServer(async (req, res) => {
    const path = req.url ?? '/';
    let body: Buffer | 'tooLarge';
    try {
      body = await readBody(req);
    } catch {
      return void res.destroy();
    }
    if (body === 'tooLarge') {
      record({ method: req.method ?? '', path, backend: '', status: 413 });
      return void res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":{"code":"tooLarge"}}');
    }
    for (const m of order()) {
      if (res.destroyed) return;
      const outcome = await attempt(m, req, body);
      if (outcome === 'retry') continue;
      if (outcome === 'failed') break;
      const { upstream, res: answer } = outcome;
      record({ method: req.method ?? '', path, backend: m.name, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers) as http.OutgoingHttpHeaders);
      // A stream's headers go at once (EventSource counts a stream open when they arrive); others with their body.
      if (String(answer.headers['content-type']).startsWith('text/event-stream')) res.flushHeaders();
      answer.pipe(res);
      // A client that leaves ends the backend's side too (an open push stream is then closed there); a
      // backend that dies mid-answer ends the client's (a tab then reconnects, to another instance).
      res.once('close', () => void (answer.complete || upstream.destroy()));
      answer.once('aborted', () => res.destroy());
      answer.once('error', () => res.destroy());
      return;
    }
    record({ method: req.method ?? '', path, backend: '', status: 502 });
    if (!res.headersSent)
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"code":"badGateway","message":"No instance answered."}}');
  });

  const check = async (m: Member) => {
    try {
      const answer = await fetch(`${m.url}/api/health`, { signal: AbortSignal.timeout(1_000) });
      await answer.body?.cancel();
      setHealth(m, answer.status === 200, `health ${answer.status}`);
    } catch {
      setHealth(m, false, 'health check failed');
    }
  };
  const timer = setInterval(() => void Promise.all(members.map(check)), options.healthIntervalMs ?? 2_000);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://localhost:${port}`,
    port,
    served,
    health: () => members.map((m) => ({ name: m.name, healthy: m.healthy })),
    async close() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      for (const m of members) m.agent.destroy();
    },
  };
}
