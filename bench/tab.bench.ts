/**
 * The tab as a person meets it: time from opening the local Teams host to the delegates being visible
 * (Chromium, median of several runs), and the tab's initial JavaScript size gzipped.
 */
import { readFile } from 'node:fs/promises';
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
  // Initial JS: every script the page loads before it runs (the entry and its modulepreloads), as index.html lists them.
  const html = await readFile(path.join(stack.staticDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = await readFile(path.join(stack.staticDir, f));
    raw += bytes.length;
    gz += gzipSync(bytes).length;
    console.log(`  ${f}: ${(bytes.length / 1024).toFixed(1)} KiB, ${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzipped`);
  }
  console.log(`initial JS (${files.length} files): ${(raw / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzipped`);
} finally {
  await browser.close();
  await stack.close();
}
