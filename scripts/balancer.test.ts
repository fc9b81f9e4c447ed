/** The local entry point behaves like a load balancer: round-robin, drain on health, retry only what cannot have arrived, streams pass through. */
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBalancer, type Balancer } from './balancer';
import { waitFor } from './processes';

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

/** A backend that names itself, echoes POST bodies, streams on /stream, and answers health with `health.status`. */
async function backend(name: string) {
  const health = { status: 200 };
  const server = http.createServer((req, res) => {
    if (req.url === '/api/health') return void res.writeHead(health.status, { 'x-served-by': name }).end();
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-served-by': name });
      res.write('data: first\n\n');
      const t = setTimeout(() => res.end('data: last\n\n'), 300);
      res.on('close', () => clearTimeout(t));
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => res.writeHead(200, { 'x-served-by': name }).end(`${req.method} ${body}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const b = { name, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, health, server };
  opened.push({ close: () => (server.closeAllConnections(), new Promise((r) => server.close(r))) });
  return b;
}

async function entry(backends: Array<{ name: string; url: string }>, healthIntervalMs = 100): Promise<Balancer> {
  const b = await startBalancer({ port: 0, backends, healthIntervalMs, log: () => {} });
  opened.push(b);
  return b;
}
const servedBy = async (b: Balancer, n: number, init?: RequestInit) => {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${b.origin}/x`, init);
    await res.text();
    names.push(res.headers.get('x-served-by') ?? String(res.status));
  }
  return names;
};

describe('the local entry point', () => {
  it('spreads requests round-robin and forwards bodies (José Álvarez in UTF-8)', async () => {
    const b = await entry([await backend('A'), await backend('B')]);
    expect(await servedBy(b, 4)).toEqual(['A', 'B', 'A', 'B']);
    const res = await fetch(`${b.origin}/x`, { method: 'POST', body: 'José Álvarez' });
    expect(await res.text()).toBe('POST José Álvarez');
  });

  it('streams an answer as it comes (the push stream), and not only at its end', async () => {
    const b = await entry([await backend('A')]);
    const res = await fetch(`${b.origin}/stream`);
    const reader = res.body!.getReader();
    const started = Date.now();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('data: first\n\n');
    expect(Date.now() - started).toBeLessThan(250);
    await reader.cancel();
  });

  it('sends a request refused by a dead instance to the next one, and drains it', async () => {
    const [a, dead] = [await backend('A'), await backend('B')];
    dead.server.closeAllConnections();
    await new Promise((r) => dead.server.close(r));
    const b = await entry([a, dead], 60_000);
    expect(await servedBy(b, 4, { method: 'POST', body: 'x' })).toEqual(['A', 'A', 'A', 'A']);
    expect(b.health()).toEqual([
      { name: 'A', healthy: true },
      { name: 'B', healthy: false },
    ]);
  });

  it('drains an instance whose health is not 200, keeps sending to all when none is healthy, and answers 502 when none answers', async () => {
    const [a, c] = [await backend('A'), await backend('B')];
    const b = await entry([a, c]);
    c.health.status = 503;
    expect(await waitFor(() => b.health()[1]!.healthy === false, 2_000)).toBe(true);
    expect(await servedBy(b, 3)).toEqual(['A', 'A', 'A']);
    a.health.status = 503;
    expect(await waitFor(() => b.health().every((h) => !h.healthy), 2_000)).toBe(true);
    expect(new Set(await servedBy(b, 4))).toEqual(new Set(['A', 'B']));

    const nobody = await entry([{ name: 'gone', url: 'http://127.0.0.1:1' }]);
    const res = await fetch(`${nobody.origin}/x`);
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([502, 'badGateway']);
  });
});
