/**
 * The tab as a person meets it (Chromium): opening the local Teams host → the delegates visible, with
 * LATENCY_MS injected on every Graph and token request, beside the physical floor: the render floor (a
 * minimal Fluent UI + teams-js page in the same host, measured in the same run) plus the rounds the
 * latency makes unavoidable (cold: the on-behalf-of exchange and two Graph rounds; warm: one Graph
 * round). Cold: a new browser profile, a newly composed server (empty caches), a user it has not seen.
 * Warm: the same profile and server, opened again; once as the local host is (a new SSO token minted
 * per getAuthToken), once with the SSO token kept as Teams keeps it. Rounds and token requests come from
 * the dev tenant's request log. Then the initial JS (gzipped) beside the minimal page's.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { launchBrowser } from '../tests/support/browser';
import { buildMinimalPage, MINIMAL_TEXT } from './minimalPage';
import { devTenantRequestLog } from './requestLog';
import { startTabStack } from './tabStack';
import { median, printComparison } from './stats';

const LATENCY_MS = 50;
const COLD_RUNS = 5;
const WARM_RUNS = 7;
const DOMAIN = 'contoso.onmicrosoft.com';
// Executives of the seed whose delegates show under "My delegates"; each cold open takes the next.
const EXECUTIVES = ['megan.bowen', 'adele.vance', 'lee.gu', 'patti.fernandez', 'miriam.graham'].map((u) => `${u}@${DOMAIN}`);

const stack = await startTabStack(EXECUTIVES[0]!);
const minimal = await buildMinimalPage();
const minimalHost = await stack.hostFor(`${minimal.origin}/`);
const log = devTenantRequestLog(stack.dt.port);
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
  /** Sequential rounds of token and Graph requests (those the latency is on). */
  rounds: number;
  /** Sequential rounds of every request, the keys and metadata reads (no latency injected) too. */
  allRounds: number;
  tokenRequests: number;
  graphRequests: number;
}

/** Opens the host for `user` in a new page of `context` and waits for `visible`; the page is closed after. */
async function open(context: BrowserContext, origin: string, user: string, visible: (f: Frame) => Promise<unknown>): Promise<Open> {
  const page = await context.newPage();
  try {
    log.reset();
    const t = performance.now();
    await page.goto(`${origin}/?user=${encodeURIComponent(user)}`);
    await visible(await tabFrame(page));
    const ms = performance.now() - t;
    return {
      ms,
      rounds: log.rounds(['token', 'graph']),
      allRounds: log.rounds(),
      tokenRequests: log.count('token'),
      graphRequests: log.count('graph'),
    };
  } finally {
    await page.close();
  }
}
const delegatesVisible = (f: Frame) =>
  f.getByRole('list', { name: 'My delegates' }).getByRole('group').first().waitFor({ timeout: 30_000 });
const minimalVisible = (f: Frame) => f.getByText(MINIMAL_TEXT).waitFor({ timeout: 30_000 });

/**
 * Teams hands the tab the token it holds until it nears expiry; the local host mints one per call. The
 * host page's fetch of /api/token is answered from localStorage once it has an answer for the same
 * request (an init script, not playwright routing: routing would turn the browser's HTTP cache off).
 */
async function keepSsoTokens(context: BrowserContext, hostOrigin: string) {
  await context.addInitScript((origin: string) => {
    if (location.origin !== origin) return;
    const fetch0 = window.fetch.bind(window);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url, location.href);
      if (url.pathname !== '/api/token' || typeof init?.body !== 'string') return fetch0(input, init);
      const key = `bench-kept-sso:${init.body}`;
      const kept = localStorage.getItem(key);
      if (kept) return new Response(kept, { status: 200, headers: { 'content-type': 'application/json' } });
      const res = await fetch0(input, init);
      if (res.ok) localStorage.setItem(key, await res.clone().text());
      return res;
    };
  }, hostOrigin);
}

const blank = async (context: BrowserContext) => {
  const page = await context.newPage();
  await page.goto('about:blank');
  await page.close();
};

const pick = (xs: Open[], k: keyof Open) => median(xs.map((x) => x[k]));

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
  const warmKept: Open[] = [];
  const warmFloor: Open[] = [];
  const user = EXECUTIVES[0]!;
  const browser = await launchBrowser();
  const keptBrowser = await launchBrowser();
  await keepSsoTokens(keptBrowser.context, stack.host.origin);
  try {
    setLatency(LATENCY_MS);
    await open(browser.context, stack.host.origin, user, delegatesVisible); // fills the HTTP cache and the server's
    await open(keptBrowser.context, stack.host.origin, user, delegatesVisible);
    await open(browser.context, minimalHost.origin, user, minimalVisible);
    for (let i = 0; i < WARM_RUNS; i++) {
      warm.push(await open(browser.context, stack.host.origin, user, delegatesVisible));
      warmKept.push(await open(keptBrowser.context, stack.host.origin, user, delegatesVisible));
      warmFloor.push(await open(browser.context, minimalHost.origin, user, minimalVisible));
    }
    setLatency(0);
  } finally {
    await browser.close();
    await keptBrowser.close();
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
      { figure: 'cold Graph requests (log)', ours: pick(cold, 'graphRequests'), other: undefined },
      // Warm floors: the server's caches are fresh, so no Graph round is needed; the host as it is mints a
      // new SSO token per getAuthToken, which costs one exchange.
      { figure: 'cold ms above the floor', ours: pick(cold, 'ms') - renderCold - 3 * L, other: undefined, unit: 'ms' },
      {
        figure: 'warm ms, local host as is',
        ours: pick(warm, 'ms'),
        other: renderWarm + L,
        vs: `floor: render ${Math.round(renderWarm)} + OBO`,
        unit: 'ms',
      },
      { figure: 'warm token + Graph rounds (log), host as is', ours: warmRounds, other: 1, vs: 'floor: OBO' },
      {
        figure: 'warm ms, SSO token kept as Teams does',
        ours: pick(warmKept, 'ms'),
        other: renderWarm,
        vs: `floor: render ${Math.round(renderWarm)}`,
        unit: 'ms',
      },
      { figure: 'warm ms above the floor, token kept', ours: pick(warmKept, 'ms') - renderWarm, other: undefined, unit: 'ms' },
      { figure: 'warm token + Graph rounds (log), token kept', ours: pick(warmKept, 'rounds'), other: 0, vs: 'floor' },
      {
        figure: 'warm token requests (log): host as is, token kept',
        ours: pick(warm, 'tokenRequests'),
        other: pick(warmKept, 'tokenRequests'),
        vs: 'kept',
      },
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
  const largest = (x: typeof ours) => x.files.reduce((a, b) => (b.gz > a.gz ? b : a), { f: '', gz: 0 });
  printComparison('tab: initial JS, gzipped (goal ≤ 1.25× the minimal page)', [
    {
      figure: `initial JS KiB (${ours.files.length} files; minimal: ${peer.files.length})`,
      ours: ours.total,
      other: peer.total,
      vs: 'minimal Fluent + teams-js page',
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
  await minimal.close();
  await stack.close();
}
