/**
 * Live presence, measured: a presence change (admin API) → visible in the tab in Chromium, split into the
 * dev tenant's delivery plus our processing (change → published on the Store) and the push to the page
 * (published → visible); our own part alone (a notification POSTed to the webhook → the event at a
 * stream client) next to the floor of one POST round trip; Graph requests per open tab-hour with push up
 * next to the same tab polling (stream blocked); 200 open streams on one instance.
 */
import { readFile } from 'node:fs/promises';
import { launchBrowser } from '../tests/support/browser';
import { startStack } from '../tests/support/stack';
import { ensureDevCertificates } from '../devtenant/certs';
import { encryptContent } from '../devtenant/graph/routes/subscriptions';
import { mintValidationToken } from '../devtenant/identity/tokens';
import { MemoryStore } from '../shared/store/memoryStore';
import { getJson } from '../shared/store/store';
import { loadEncryptionCertificate } from '../shared/live/encryptionCertificate';
import type { SubscriptionRecord } from '../shared/live/subscriptionKeeper';
import { PRESENCE_CHANNEL, type PresenceMessage } from '../shared/live/presenceFeed';
import { describePresence } from '../shared/domain/reachability';
import { summarise, printTable } from './stats';
import { readSse } from '../tests/support/sse';

const CHANGES = Number(process.env.LIVE_CHANGES ?? 20);
const WINDOW_MS = Number(process.env.LIVE_WINDOW_MS ?? 90_000);
const MEGAN = 'megan.bowen@contoso.onmicrosoft.com';
const store = new MemoryStore();
const stack = await startStack({ defaultUser: MEGAN, store });
const browser = await launchBrowser();
const dt = stack.dt;
const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${dt.origin}/devtenant${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const lynne = dt.tenant.listUsers().find((u) => u.userPrincipalName.startsWith('lynne.robbins'))!;
const megan = dt.tenant.listUsers().find((u) => u.userPrincipalName === MEGAN)!;
const published = new Map<string, number>();
await store.subscribe(PRESENCE_CHANNEL, (raw) => {
  const m = JSON.parse(raw) as PresenceMessage;
  if (m.id === lynne.id && m.presence) published.set(m.presence.availability, performance.now());
});

try {
  const page = await browser.context.newPage();
  await page.goto(`${stack.host.origin}/`);
  const frame = (await (await page.waitForSelector('#tab')).contentFrame())!;
  const card = frame.getByRole('list', { name: 'My delegates' }).getByRole('group').filter({ hasText: lynne.displayName });
  await card.first().waitFor({ timeout: 30_000 });
  await frame
    .getByText('Live', { exact: false })
    .first()
    .waitFor({ timeout: 30_000 })
    .catch(() => console.log('  (the tab never said "Live": it polls)'));

  // 1. Change → visible.
  const total: number[] = [];
  const delivery: number[] = [];
  const push: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const [availability, activity] = i % 2 === 0 ? ['Busy', 'InACall'] : ['Available', 'Available'];
    const words = describePresence({ availability, activity, isOutOfOffice: false });
    published.delete(availability);
    const t0 = performance.now();
    await admin('PUT', `/users/${lynne.userPrincipalName}/presence`, { availability, activity });
    await card.filter({ hasText: words }).first().waitFor({ timeout: 60_000 });
    const t1 = performance.now();
    total.push(t1 - t0);
    const tp = published.get(availability);
    if (tp) {
      delivery.push(tp - t0);
      push.push(t1 - tp);
    }
  }
  printTable([
    summarise('presence change → visible in the tab (Chromium)', total),
    summarise('  change → published (dev tenant delivery, delay 0, + our webhook)', delivery),
    summarise('  published → visible (SSE + render)', push),
  ]);
  console.log(`  worst change → visible: ${Math.max(...total).toFixed(0)} ms over ${total.length} changes`);

  // 2. Our own part: a notification at the webhook → the event at a stream client, next to a POST round trip.
  const certs = await ensureDevCertificates();
  const certPem = await readFile(certs.notificationCertPath, 'utf8');
  const { certificateId } = await loadEncryptionCertificate({
    certificatePath: certs.notificationCertPath,
    keyPath: certs.notificationKeyPath,
  });
  const record = (await getJson<SubscriptionRecord>(store, `live:sub:${megan.id}`))!;
  const token = await mintValidationToken(dt.context.keys, dt.tenant, dt.tenant.app.clientId);
  const ssoToken = async () => ((await (await admin('POST', '/tokens', { user: MEGAN })).json()) as { token: string }).token;
  async function stream() {
    const { ticket } = (await (
      await fetch(`${stack.tabOrigin}/api/live/ticket`, { method: 'POST', headers: { Authorization: `Bearer ${await ssoToken()}` } })
    ).json()) as { ticket: string };
    const res = await fetch(`${stack.tabOrigin}/api/live/stream?ticket=${ticket}`);
    const waiters = new Map<string, () => void>();
    let received = 0;
    const close = readSse(res, (e) => {
      const seq = /^seq-\d+$/.exec(String((e.data as { presence?: { statusMessage?: string } }).presence?.statusMessage ?? ''))?.[0];
      if (seq) {
        received++;
        waiters.get(seq)?.();
      }
    });
    return { wait: (seq: string) => new Promise<void>((r) => waiters.set(seq, r)), received: () => received, close };
  }
  const client = await stream();
  let seq = 0;
  const notification = () => {
    seq++;
    return JSON.stringify({
      validationTokens: [token],
      value: [
        {
          subscriptionId: record.id,
          clientState: record.clientState,
          changeType: 'updated',
          resource: `communications/presences/${lynne.id}`,
          subscriptionExpirationDateTime: new Date(record.expiresAt).toISOString(),
          tenantId: dt.tenant.id,
          encryptedContent: encryptContent(certPem, certificateId, {
            id: lynne.id,
            availability: 'Available',
            activity: 'Available',
            sequenceNumber: `9${String(seq).padStart(24, '0')}`,
            statusMessage: { message: { content: `seq-${seq}`, contentType: 'text' } },
          }),
        },
      ],
    });
  };
  const ours: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 300; i++) {
    const body = notification();
    const arrived = client.wait(`seq-${seq}`);
    const t0 = performance.now();
    await fetch(`${stack.tabOrigin}/api/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await arrived;
    ours.push(performance.now() - t0);
    const t1 = performance.now();
    await fetch(`${stack.tabOrigin}/api/health`);
    floor.push(performance.now() - t1);
  }
  const s = summarise('our part: notification POSTed → event at the stream client', ours);
  const sorted = [...ours].sort((a, b) => a - b);
  printTable([s, summarise('  floor: one request round trip (GET /api/health)', floor)]);
  console.log(`  our part p99: ${sorted[Math.floor(0.99 * sorted.length)]!.toFixed(2)} ms`);
  await client.close();

  // 3. Graph requests per open tab-hour: push up, then the same tab with the stream blocked (polling).
  const hour = (n: number) => Math.round((n * 3_600_000) / WINDOW_MS);
  async function windowCounts(label: string) {
    dt.context.counters.reset();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const c = dt.context.counters.snapshot();
    const sum = (re: RegExp) =>
      Object.entries(c)
        .filter(([k]) => re.test(k))
        .reduce((n, [, v]) => n + v, 0);
    const presence = sum(/^graph .*(getPresencesByUserId|subscriptions)/);
    const lists = sum(/^graph .*callSettings/);
    const users = sum(/^graph .*(\/users(\?|$)|\$batch)/);
    console.log(
      `  ${label}: per tab-hour ${hour(presence)} presence/subscription requests, ${hour(lists)} delegation list reads, ${hour(users)} directory reads (measured over ${WINDOW_MS / 1000} s)`,
    );
  }
  await windowCounts('push up');
  await page.route('**/api/live/**', (route) => route.abort());
  await page.evaluate(() => undefined);
  await frame
    .getByText('Updated every', { exact: false })
    .first()
    .waitFor({ timeout: 120_000 })
    .catch(() => undefined);
  await windowCounts('polling (stream blocked)');
  await page.close();

  // 4. 200 open streams on one instance: every stream gets every change of its people.
  const rssBefore = process.memoryUsage().rss;
  const streams = await Promise.all(Array.from({ length: 200 }, () => stream()));
  const rssWith = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const t = performance.now();
  const before = streams.map((x) => x.received());
  for (let i = 0; i < 20; i++)
    await fetch(`${stack.tabOrigin}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: notification(),
    });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && streams.some((x, i) => x.received() - before[i]! < 20)) await new Promise((r) => setTimeout(r, 20));
  const used = process.cpuUsage(cpu);
  const complete = streams.filter((x, i) => x.received() - before[i]! >= 20).length;
  console.log(
    `  200 streams: ${complete}/200 got all 20 changes in ${(performance.now() - t).toFixed(0)} ms; RSS +${((rssWith - rssBefore) / 1024 / 1024).toFixed(1)} MiB for the streams ` +
      `(${((rssWith - rssBefore) / 200 / 1024).toFixed(1)} KiB each); CPU ${((used.user + used.system) / 1000).toFixed(0)} ms for 4,000 events`,
  );
  for (const x of streams) await x.close();
} finally {
  await browser.close();
  await stack.close();
}
