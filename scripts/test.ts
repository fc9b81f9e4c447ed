/**
 * `npm test`: runs every vitest suite and ends with `tests: N passed, M failed` computed from the
 * JSON report, so CI's closing line is the real count. Extra arguments go to vitest.
 *
 * Every process a test starts through `spawnTree` (scripts/processes.ts) is recorded in a file named by
 * DD_PROCESS_LOG; once vitest has exited, any process still alive in one of those groups (or in vitest's
 * own) is printed with its command line, killed, and counted as a failure.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PROCESS_LOG_ENV, nodeBin, reapLeftovers, spawnTree } from './processes';
import { scanLog } from './logScan';

const reportDir = path.resolve('test-results');
const reportFile = path.join(reportDir, 'vitest.json');
const processLog = path.join(reportDir, `processes-${process.pid}.jsonl`);
await mkdir(reportDir, { recursive: true });
await rm(reportFile, { force: true });
await rm(processLog, { force: true });

const [node, args] = nodeBin('vitest', [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${reportFile}`,
  ...process.argv.slice(2),
]);
// vitest runs in a process group of its own (with its workers and whatever the tests start), so it does
// not get the terminal's Ctrl-C directly: it is forwarded to the whole group, as SIGTERM and SIGHUP are.
const vitest = spawnTree(node, args, {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, [PROCESS_LOG_ENV]: processLog },
  processLog,
});
// Shown as it comes, and kept for the log scan at the end.
const printed: Buffer[] = [];
vitest.child.stdout!.on('data', (d: Buffer) => void (process.stdout.write(d), printed.push(d)));
vitest.child.stderr!.on('data', (d: Buffer) => void (process.stderr.write(d), printed.push(d)));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => void vitest.stop(signal, 10_000).catch((e: Error) => console.error(e.message)));
const { code: exitCode, signal } = await vitest.exited;
const code = exitCode ?? (signal ? 1 : 0);

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numFailedTestSuites?: number;
    numTotalTests: number;
  };
  passed = report.numPassedTests;
  // A suite that fails to load has no failed test in it, but it is a failure all the same.
  failed = report.numFailedTests + (report.numFailedTestSuites ?? 0);
} catch {
  failed = Math.max(1, failed);
}
if (code !== 0 && failed === 0) {
  // Every test passed but vitest failed (an unhandled error or a crashed worker): still a failure.
  console.error(`vitest exited with code ${code} although no test failed; see the errors above.`);
  failed = 1;
}
// Nothing the run started may outlive it: each process still there is a failure.
const leftovers = await reapLeftovers(processLog);
failed += leftovers.length;
await rm(processLog, { force: true });
// Nothing printed during the run (the server's logs included) may hold a token or a secret.
const findings = scanLog(Buffer.concat(printed).toString('utf8'));
for (const f of findings.slice(0, 20)) console.error(`The test output holds ${f.what}: ${f.line.slice(0, 200)}`);
if (findings.length) failed += 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(code !== 0 || failed > 0 ? 1 : 0);
