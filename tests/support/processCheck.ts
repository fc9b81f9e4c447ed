/**
 * vitest globalSetup: when vitest runs on its own (`npx vitest run …`, not `npm test`), records the
 * process groups the tests start (DD_PROCESS_LOG, read by scripts/processes.ts in every worker) and fails
 * the run at its end if one of them still has a process alive, naming its command line. Under `npm test`
 * the variable is already set and scripts/test.ts does this check itself once vitest has exited, counting
 * each leftover as a failed test.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROCESS_LOG_ENV, reapLeftovers } from '../../scripts/processes';

export default function setup(): (() => Promise<void>) | undefined {
  if (process.env[PROCESS_LOG_ENV]) return undefined;
  const dir = path.resolve('test-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `processes-${process.pid}.jsonl`);
  rmSync(file, { force: true });
  // Set before the workers are forked, so they inherit it.
  process.env[PROCESS_LOG_ENV] = file;
  return async () => {
    const leftovers = await reapLeftovers(file);
    rmSync(file, { force: true });
    delete process.env[PROCESS_LOG_ENV];
    if (leftovers.length) {
      throw new Error(
        `${leftovers.length} process(es) started by the tests were still running (now killed):\n${leftovers.map((p) => `  pid ${p.pid}: ${p.cmdline}`).join('\n')}`,
      );
    }
  };
}
