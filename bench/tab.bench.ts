/**
 * The tab as a person meets it: time from opening the local Teams host to the delegates being visible
 * (Chromium, median of several runs), and the tab's initial JavaScript size gzipped.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../tests/support/browser';
import { startStack } from '../tests/support/stack';
import { summarise, printTable } from './stats';

const RUNS = 9;
const stack = await startStack({ defaultUser: 'megan.bowen@contoso.onmicrosoft.com' });
const browser = await launchBrowser();
try {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.context.newPage();
    const t = performance.now();
    await page.goto(`${stack.host.origin}/`);
    const frame = (await (await page.waitForSelector('#tab')).contentFrame())!;
    await frame.getByRole('list', { name: 'My delegates' }).getByRole('group').first().waitFor({ timeout: 30_000 });
    samples.push(performance.now() - t);
    await page.close();
  }
  printTable([summarise('open host → delegates visible (first run cold)', samples)]);
  const assets = path.join(stack.staticDir, 'assets');
  const js = (await readdir(assets)).filter((f) => f.startsWith('index-') && f.endsWith('.js'));
  for (const f of js) {
    const raw = await readFile(path.join(assets, f));
    console.log(`initial JS ${f}: ${(raw.length / 1024).toFixed(1)} KiB, ${(gzipSync(raw).length / 1024).toFixed(1)} KiB gzipped`);
  }
} finally {
  await browser.close();
  await stack.close();
}
