/**
 * The product server in a process of its own (server/main.ts, configured from the environment as in
 * production) against a dev tenant of the bench's: so what the bench itself spends (autocannon, the dev
 * tenant, a peer) is not counted in the server's CPU.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestTenant } from '../devtenant/testkit';
import { envFor } from '../tests/support/app';
import { freePort } from '../tests/support/ports';
import { spawnTree, type ProcessTree } from '../scripts/processes';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ChildServer {
  origin: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Waits until `url` answers 200 (the child is up), or fails after `ms`, naming the child's exit if it died. */
export async function waitUntilUp(url: string, tree: ProcessTree, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  let exited = false;
  void tree.exited.then(() => (exited = true));
  while (Date.now() < until && !exited) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer 200 within ${ms} ms${exited ? ' (the process exited)' : ''}`);
}

/** `built`: a production build's entry (dist/server/main.js, plain JavaScript run by node alone) instead of the sources through tsx. */
export async function startServerProcess(dt: TestTenant, extraEnv: Record<string, string> = {}, built?: string): Promise<ChildServer> {
  const port = await freePort();
  const env = { ...process.env, ...envFor(dt, { PORT: String(port), ...extraEnv }) } as NodeJS.ProcessEnv;
  const args = built ? [built] : ['--import', 'tsx', path.join(root, 'server', 'main.ts')];
  const tree = spawnTree(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(`${origin}/api/health`, tree);
  } catch (e) {
    await tree.stop();
    throw e;
  }
  return { origin, pid: tree.pid, stop: () => tree.stop() };
}

/**
 * The server as production runs it: built with server/vite.config.ts (plain JavaScript, dependencies
 * from node_modules) into dist/bench-server, so the figures are those of the deployed code, not of tsx.
 */
export async function buildServer(): Promise<string> {
  const outDir = path.join(root, 'dist', 'bench-server');
  await build({ configFile: path.join(root, 'server', 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return path.join(outDir, 'main.js');
}
