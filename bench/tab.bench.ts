/**
 * The tab as a person meets it (Chromium): opening the local Teams host → the delegates visible, with
 * LATENCY_MS injected on every Graph and token request, beside the physical floor: the render floor (a
 * minimal Fluent UI + teams-js page in the same host, measured in the same run) plus the rounds the
 * latency makes unavoidable (cold: the on-behalf-of exchange and two Graph rounds; warm: none).
 * Cold: a new browser profile, a newly composed server (empty caches), a user it has not seen.
 * Warm: the same profile and server, opened again; the local host keeps the SSO token as Teams does, so
 * no round is unavoidable. Rounds and requests come from the dev tenant's request log, up to the product's
 * answer to /api/delegation (the subscription and photos asked for after it are not the view's). Then the
 * initial JS (gzipped) beside the minimal page's: what index.html lists, not what the page imports later.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { launchBrowser } from '../tests/support/browser';
import { buildMinimalPage, MINIMAL_TEXT } from './minimalPage';
import { devTenantRequestLog } from './requestLog';
import { startStack } from '../tests/support/stack';
import { median, printComparison } from './stats';

const LATENCY_MS = 50;
const COLD_RUNS = 5;
const WARM_RUNS = 7;
const DOMAIN = 'contoso.onmicrosoft.com';
// Executives of the seed whose delegates show under "My delegates"; each cold open takes the next.
const EXECUTIVES = ['megan.bowen', 'adele.vance', 'lee.gu', 'patti.fernandez', 'miriam.graham'].map((u) => `${u}@${DOMAIN}`);

const stack = await startStack({ defaultUser: EXECUTIVES[0]! });
const minimal = await buildMinimalPage();
const minimalHost = await stack.hostFor(`${minimal.origin}/`);
const log = devTenantRequestLog(stack.dt.port);
// The product's own requests: when it answered the view, so the rounds counted are those the view waited
// for (not the subscription and photos the page asks for once it has the view).
const productLog = devTenantRequestLog(stack.port);
const ctx = stack.dt.context;
const setLatency = (ms: number) =>
  ms
    ? ctx.faults.set({
        rules: [
          { match: '*', latency: { fixedMs: ms } },
          { target: 'entra', match: '*', latency: { fixedMs: ms } },
        ],
      })
    : ctx.faults.reset();

const tabFrame = async (page: Page): Promise<Frame> => (await (await page.waitForSelector('#tab')).contentFrame())!;

interface Open {
  ms: number;
  /** Sequential rounds of token and Graph requests (those the latency is on) before the view was answered. */
  rounds: number;
  /** Sequential rounds of every request, the keys and metadata reads (no latency injected) too. */
  allRounds: number;
  tokenRequests: number;
  graphRequests: number;
  /** The tab's scripts fetched by then (initial and lazy), as paths. */
  scripts: string[];
}

/** Opens the host for `user` in a new page of `context` and waits for `visible`; the page is closed after. */
async function open(context: BrowserContext, origin: string, user: string, visible: (f: Frame) => Promise<unknown>): Promise<Open> {
  const page = await context.newPage();
  try {
    log.reset();
    productLog.reset();
    const t = performance.now();
    await page.goto(`${origin}/?user=${encodeURIComponent(user)}`);
    const frame = await tabFrame(page);
    await visible(frame);
    const ms = performance.now() - t;
    const scripts = await frame.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => p.startsWith('/assets/') && p.endsWith('.js')),
    );
    const viewAnswered = productLog.entries.find((e) => e.path.startsWith('/api/delegation'))?.end ?? Infinity;
    const forView = log.entries.filter((e) => e.start < viewAnswered);
    return {
      ms,
      rounds: log.rounds(['token', 'graph'], viewAnswered),
      allRounds: log.rounds(undefined, viewAnswered),
      tokenRequests: forView.filter((e) => e.kind === 'token').length,
      graphRequests: forView.filter((e) => e.kind === 'graph').length,
      scripts,
    };
  } finally {
    await page.close();
  }
}
const delegatesVisible = (f: Frame) =>
  f.getByRole('list', { name: 'My delegates' }).getByRole('group').first().waitFor({ timeout: 30_000 });
const minimalVisible = (f: Frame) => f.getByText(MINIMAL_TEXT).waitFor({ timeout: 30_000 });

const blank = async (context: BrowserContext) => {
  const page = await context.newPage();
  await page.goto('about:blank');
  await page.close();
};

const pick = (xs: Open[], k: Exclude<keyof Open, 'scripts'>) => median(xs.map((x) => x[k]));

try {
  const cold: Open[] = [];
  const coldFloor: Open[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const user = EXECUTIVES[i % EXECUTIVES.length]!;
    await stack.fresh();
    setLatency(LATENCY_MS);
    const browser = await launchBrowser();
    try {
      await blank(browser.context); // the browser is up, its profile empty: as a person opening Teams
      cold.push(await open(browser.context, stack.host.origin, user, delegatesVisible));
    } finally {
      await browser.close();
    }
    const floorBrowser = await launchBrowser();
    try {
      await blank(floorBrowser.context);
      coldFloor.push(await open(floorBrowser.context, minimalHost.origin, user, minimalVisible));
    } finally {
      await floorBrowser.close();
    }
    setLatency(0);
  }

  const warm: Open[] = [];
  const warmFloor: Open[] = [];
  const user = EXECUTIVES[0]!;
  const browser = await launchBrowser();
  try {
    setLatency(LATENCY_MS);
    await open(browser.context, stack.host.origin, user, delegatesVisible); // fills the HTTP cache, the server's and the host's token
    await open(browser.context, minimalHost.origin, user, minimalVisible);
    for (let i = 0; i < WARM_RUNS; i++) {
      warm.push(await open(browser.context, stack.host.origin, user, delegatesVisible));
      warmFloor.push(await open(browser.context, minimalHost.origin, user, minimalVisible));
    }
    setLatency(0);
  } finally {
    await browser.close();
  }

  const renderCold = pick(coldFloor, 'ms');
  const renderWarm = pick(warmFloor, 'ms');
  const L = LATENCY_MS;
  const warmRounds = pick(warm, 'rounds');
  printComparison(
    `tab: open host → delegates visible, ${L} ms per Graph and token request (median of ${COLD_RUNS} cold, ${WARM_RUNS} warm)`,
    [
      {
        figure: 'cold ms',
        ours: pick(cold, 'ms'),
        other: renderCold + 3 * L,
        vs: `floor: render ${Math.round(renderCold)} + OBO + 2 Graph rounds`,
        unit: 'ms',
      },
      { figure: 'cold token + Graph rounds (log)', ours: pick(cold, 'rounds'), other: 3, vs: 'floor' },
      { figure: 'cold rounds of all requests (log)', ours: pick(cold, 'allRounds'), other: 3, vs: 'floor (keys, metadata read too)' },
      { figure: 'cold token requests (log)', ours: pick(cold, 'tokenRequests'), other: 1, vs: 'floor: one exchange' },
      { figure: 'cold Graph requests for the view (log)', ours: pick(cold, 'graphRequests'), other: undefined },
      { figure: 'cold ms above the floor', ours: pick(cold, 'ms') - renderCold - 3 * L, other: undefined, unit: 'ms' },
      // Warm floor: the server's caches are fresh and the host keeps the SSO token, so no round is needed.
      { figure: 'warm ms', ours: pick(warm, 'ms'), other: renderWarm, vs: `floor: render ${Math.round(renderWarm)}`, unit: 'ms' },
      { figure: 'warm ms above the floor', ours: pick(warm, 'ms') - renderWarm, other: undefined, unit: 'ms' },
      { figure: 'warm token + Graph rounds (log)', ours: warmRounds, other: 0, vs: 'floor' },
      { figure: 'warm token requests (log)', ours: pick(warm, 'tokenRequests'), other: 0, vs: 'floor' },
      { figure: 'render floor: minimal page, cold / warm', ours: renderCold, other: renderWarm, vs: 'warm', unit: 'ms' },
    ],
  );

  // Initial JS: every script a page loads before it runs (its entry and modulepreloads), as index.html lists them.
  const initialJs = async (dir: string) => {
    const html = await readFile(path.join(dir, 'index.html'), 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const sizes = await Promise.all(files.map(async (f) => ({ f, gz: gzipSync(await readFile(path.join(dir, f))).length / 1024 })));
    return { files: sizes, total: sizes.reduce((a, s) => a + s.gz, 0) };
  };
  const ours = await initialJs(stack.staticDir);
  const peer = await initialJs(minimal.dir);
  // Beside it, everything the first cold open fetched before the delegates showed (the lazy page chunks too).
  const gz = async (f: string) => gzipSync(await readFile(path.join(stack.staticDir, f))).length / 1024;
  const beforeVisible = (await Promise.all([...new Set(cold[0]!.scripts)].map((p) => gz(p.slice(1))))).reduce((a, b) => a + b, 0);
  const largest = (x: typeof ours) => x.files.reduce((a, b) => (b.gz > a.gz ? b : a), { f: '', gz: 0 });
  printComparison('tab: initial JS, gzipped (goal ≤ 1.25× the minimal page)', [
    {
      figure: `initial JS KiB (${ours.files.length} files; minimal: ${peer.files.length})`,
      ours: ours.total,
      other: peer.total,
      vs: 'minimal Fluent + teams-js page',
    },
    {
      figure: `JS fetched before the delegates show, KiB (${new Set(cold[0]!.scripts).size} files)`,
      ours: beforeVisible,
      other: peer.total,
      vs: 'minimal page (all of it initial)',
    },
    {
      figure: `largest file KiB (${largest(ours).f})`,
      ours: largest(ours).gz,
      other: largest(peer).gz,
      vs: `minimal's ${largest(peer).f}`,
    },
  ]);
  for (const { f, gz } of ours.files) console.log(`  ours: ${f} ${gz.toFixed(1)} KiB gzipped`);
} finally {
  log.stop();
  productLog.stop();
  await minimal.close();
  await stack.close();
}
