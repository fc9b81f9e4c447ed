/**
 * `npm test`: runs every vitest suite and ends with `tests: N passed, M failed` computed from the
 * JSON report, so CI's closing line is the real count. Extra arguments go to vitest.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

const reportDir = path.resolve('test-results');
const reportFile = path.join(reportDir, 'vitest.json');
await mkdir(reportDir, { recursive: true });
await rm(reportFile, { force: true });

const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)];
const code: number = await new Promise((resolve) => {
  const child = spawn('npx', args, { stdio: 'inherit', env: process.env });
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});

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
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(code !== 0 || failed > 0 ? 1 : 0);
