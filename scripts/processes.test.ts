/**
 * spawnTree stops whole process trees, and the end-of-run check finds (and ends) what was left running.
 * Processes are observed through /proc (or ps); every wait polls with a deadline, nothing is timed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  descendants,
  findLeftovers,
  nodeBin,
  groupMembers,
  listProcesses,
  reapLeftovers,
  signalGroup,
  spawnTree,
  waitFor,
  type ProcessInfo,
  type ProcessTree,
} from './processes';

const dir = mkdtempSync(path.join(tmpdir(), 'dd-processes-'));
const started: ProcessTree[] = [];
let logCount = 0;
const freshLog = () => path.join(dir, `log-${++logCount}.jsonl`);

function tree(command: string, args: string[], processLog = freshLog()) {
  const t = spawnTree(command, args, { stdio: ['ignore', 'pipe', 'inherit'], processLog });
  started.push(t);
  return t;
}

/** Whether this very process (same pid, same start time) still runs. */
const alive = (p: ProcessInfo) => listProcesses().some((q) => q.pid === p.pid && q.startTime === p.startTime && q.state !== 'Z');

afterEach(async () => {
  // Whatever a failed test left behind.
  for (const t of started.splice(0)) if (t.pid) signalGroup(t.pid, 'SIGKILL');
});

describe('spawnTree', () => {
  it('starts the command in a process group of its own', async () => {
    const t = tree('sh', ['-c', 'sleep 60 & sleep 60']);
    expect(await waitFor(() => groupMembers(t.pid!).filter((p) => p.cmdline === 'sleep 60').length === 2, 10_000)).toBe(true);
    const own = listProcesses().find((p) => p.pid === process.pid)!;
    expect(t.pid).not.toBe(own.pgid);
    await t.stop();
  });

  it('stops the whole tree: the shell and both of its children', async () => {
    const t = tree('sh', ['-c', 'sleep 60 & sleep 60']);
    expect(await waitFor(() => groupMembers(t.pid!).filter((p) => p.cmdline === 'sleep 60').length === 2, 10_000)).toBe(true);
    const members = groupMembers(t.pid!);
    await t.stop();
    expect(groupMembers(t.pid!)).toEqual([]);
    expect(members.filter(alive)).toEqual([]);
    expect((await t.exited).signal).toBe('SIGTERM');
  });

  it('stops a grandchild whose parent has already exited (re-parented, as `npx x` leaves x)', async () => {
    const grandchild = `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }).unref()`;
    const t = tree(process.execPath, ['-e', grandchild]);
    expect((await t.exited).code).toBe(0);
    expect(await waitFor(() => groupMembers(t.pid!).length === 1, 10_000)).toBe(true);
    const [orphan] = groupMembers(t.pid!);
    expect(orphan!.ppid).not.toBe(t.pid);
    await t.stop();
    expect(alive(orphan!)).toBe(false);
  });

  it('sends SIGKILL to the group when the signal is ignored past the grace period', async () => {
    const t = tree('sh', ['-c', "trap '' TERM; sleep 60 & wait"]);
    expect(await waitFor(() => groupMembers(t.pid!).some((p) => p.cmdline === 'sleep 60'), 10_000)).toBe(true);
    await t.stop('SIGTERM', 200);
    expect(groupMembers(t.pid!)).toEqual([]);
    expect((await t.exited).signal).toBe('SIGKILL');
  });

  it('resolves at once for a tree that has already ended, and records nothing for a command that cannot start', async () => {
    const done = tree('true', []);
    expect((await done.exited).code).toBe(0);
    await done.stop();
    const log = freshLog();
    const missing = tree('/nonexistent/command', [], log);
    await missing.exited;
    await missing.stop();
    expect(findLeftovers(log)).toEqual([]);
  });

  it('finds the descendants of a process through their parent pids', async () => {
    const t = tree('sh', ['-c', 'sh -c "sleep 60; true" & wait']);
    expect(await waitFor(() => descendants(t.pid!).some((p) => p.cmdline === 'sleep 60'), 10_000)).toBe(true);
    await t.stop();
  });
});

describe('the end-of-run check', () => {
  it('reports nothing when every recorded tree was stopped', async () => {
    const log = freshLog();
    const t = tree('sh', ['-c', 'sleep 60 & sleep 60'], log);
    expect(await waitFor(() => groupMembers(t.pid!).length >= 2, 10_000)).toBe(true);
    await t.stop();
    const lines: string[] = [];
    expect(await reapLeftovers(log, (l) => lines.push(l), 0)).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('reports a deliberately orphaned process group with its command line, and ends it', async () => {
    const log = freshLog();
    // The shell exits at once; its background sleep stays in the group, re-parented: what `child.kill()` used to leave.
    const t = tree('sh', ['-c', 'sleep 61 & echo started'], log);
    expect((await t.exited).code).toBe(0);
    // Until the forked child has exec'd, /proc shows the shell's command line: wait for the sleep itself.
    expect(await waitFor(() => findLeftovers(log).length === 1 && findLeftovers(log)[0]!.cmdline === 'sleep 61', 10_000)).toBe(true);
    const [left] = findLeftovers(log);
    expect(left).toMatchObject({ pgid: t.pid, cmdline: 'sleep 61', startedAs: 'sh -c sleep 61 & echo started' });

    const lines: string[] = [];
    const reaped = await reapLeftovers(log, (l) => lines.push(l), 0);
    expect(reaped.map((p) => p.pid)).toEqual([left!.pid]);
    expect(lines).toEqual([`Left running after the tests: pid ${left!.pid} (group of \`sh -c sleep 61 & echo started\`): sleep 61`]);
    expect(groupMembers(t.pid!)).toEqual([]);
    expect(findLeftovers(log)).toEqual([]);
  });

  it('makes `npm test` fail with the leftover counted in its closing line', async () => {
    // scripts/test.ts on a one-test suite that leaves a process running, from a scratch directory so its
    // report does not touch this run's test-results/.
    const cwd = mkdtempSync(path.join(dir, 'run-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'DD_PROCESS_LOG'));
    const [node, args] = nodeBin('tsx', [
      path.resolve('scripts/test.ts'),
      '--config',
      path.resolve('scripts/fixtures/leak.vitest.config.ts'),
    ]);
    const run = spawnTree(node, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(run);
    let stdout = '';
    let stderr = '';
    run.child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    run.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const { code } = await run.exited;
    await run.stop();
    expect(stdout + stderr).toMatch(/Left running after the tests: pid \d+ \(group of `sh -c sleep 62 & echo started`\): sleep 62/);
    expect(stdout.trim().split('\n').at(-1)).toBe('tests: 1 passed, 1 failed');
    expect(code).toBe(1);
    expect(listProcesses().filter((p) => p.cmdline === 'sleep 62' && p.state !== 'Z')).toEqual([]);
    rmSync(cwd, { recursive: true, force: true });
  }, 130_000);
});
