/**
 * Dev tenant round trips with the real clients, on loopback: how much of a product request's time the
 * simulated services themselves take. The floor beside each is a bare HTTPS server (same certificate,
 * same process) answering the same number of bytes at once, asked with fetch. Tokens are minted before
 * the timed loops: no password grant inside a timed part except the row that measures it.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureDevCertificates } from '../devtenant/certs';
import { startTestTenant } from '../devtenant/testkit';
import { devTenantRequestLog } from './requestLog';
import { measure, printComparison, type Comparison } from './stats';

const certs = await ensureDevCertificates();
// The floor: answers /<bytes> with that many bytes of JSON, nothing else.
const bare = https.createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
  const n = Math.max(2, Number(req.url?.slice(1)) || 2);
  req.resume();
  req.on('end', () => void res.writeHead(200, { 'content-type': 'application/json', 'content-length': n }).end(`"${'x'.repeat(n - 2)}"`));
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
const bareOrigin = `https://localhost:${(bare.address() as AddressInfo).port}`;

const dt = await startTestTenant({ fixedClock: undefined });
const log = devTenantRequestLog(dt.port);
try {
  const ids = Array.from({ length: 650 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const graphToken = await dt.graphToken('ada');
  const client = dt.graph(graphToken);
  const OBO_RUNS = 100;
  const assertions = await Promise.all(Array.from({ length: OBO_RUNS + 5 }, () => dt.ssoToken('ben')));
  const msal = dt.msal();
  const batch = {
    requests: Array.from({ length: 20 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users/00000000-0000-4000-8000-000000000002' })),
  };
  // The size of a Graph answer, read once with fetch (the dev tenant's Graph answers are not all sent with a Content-Length).
  const graphPath = (method: string, url: string, body?: string) => ({
    method,
    body,
    bytes: () =>
      fetch(`${dt.origin}${url}`, { method, body, headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' } })
        .then((r) => r.arrayBuffer())
        .then((b) => b.byteLength),
  });
  type Case = {
    figure: string;
    n: number;
    run: (i: number) => Promise<unknown>;
    method: string;
    body?: string;
    bytes?: () => Promise<number>;
  };
  const cases: Case[] = [
    {
      figure: 'password grant (SSO token)',
      n: 100,
      run: () => dt.ssoToken('ada'),
      method: 'POST',
      body: 'grant_type=password&'.repeat(10),
    },
    {
      figure: 'on-behalf-of, new assertion each time (msal-node)',
      n: OBO_RUNS,
      run: (i) => msal.acquireTokenOnBehalfOf({ oboAssertion: assertions[i]!, scopes: ['https://graph.microsoft.com/User.Read'] }),
      method: 'POST',
      body: 'x'.repeat(assertions[0]!.length + 200),
    },
    {
      figure: 'GET /beta/me/communications/callSettings/delegates',
      n: 200,
      run: () => dt.graph(graphToken, 'beta').api('/me/communications/callSettings/delegates').get(),
      ...graphPath('GET', '/beta/me/communications/callSettings/delegates'),
    },
    {
      figure: 'POST getPresencesByUserId (650 ids)',
      n: 200,
      run: () => client.api('/communications/getPresencesByUserId').post({ ids }),
      ...graphPath('POST', '/v1.0/communications/getPresencesByUserId', JSON.stringify({ ids })),
    },
    {
      figure: 'POST $batch of 20 GET /users/{id}',
      n: 100,
      run: () => client.api('/$batch').post(batch),
      ...graphPath('POST', '/v1.0/$batch', JSON.stringify(batch)),
    },
  ];
  const rows: Comparison[] = [];
  for (const c of cases) {
    log.reset();
    const ours = await measure(c.figure, c.n, c.run);
    const last = log.entries.filter((e) => e.kind === 'token' || e.kind === 'graph').at(-1);
    const bytes = (await c.bytes?.()) ?? last?.bytes ?? 2;
    const floor = await measure('floor', c.n, () =>
      fetch(`${bareOrigin}/${bytes}`, { method: c.method, body: c.body }).then((r) => r.arrayBuffer()),
    );
    rows.push({ figure: `${c.figure}, median`, ours: ours.medianMs, other: floor.medianMs, vs: `bare HTTPS, ${bytes} B`, unit: 'ms' });
  }
  printComparison('dev tenant on loopback, real clients, beside a bare HTTPS round trip of the same size', rows);
} finally {
  log.stop();
  bare.close();
  await dt.close();
}
