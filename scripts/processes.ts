/**
 * Child processes that can be stopped with everything they started. `spawnTree` starts a command in a
 * process group of its own (`detached: true`); `stop()` signals the whole group, waits until no process
 * of it is left, and escalates to SIGKILL after a grace period. Killing only the child is not enough:
 * `npx x` or `sh -c` leave `x` running, re-parented to init.
 *
 * When `DD_PROCESS_LOG` names a file, every group started is recorded in it (one JSON line each), so the
 * test run can check at its end that none of them is still alive (`reapLeftovers`): test files run in
 * forked vitest workers, and a file is what they share with the process that started vitest.
 *
 * POSIX only (process groups); processes are read from /proc on Linux, from `ps` elsewhere.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROCESS_LOG_ENV = 'DD_PROCESS_LOG';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ProcessTree {
  child: ChildProcess;
  /** The child's pid, which is also its process group id. */
  pid: number | undefined;
  /** Settles when the child itself has exited (or could not start). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Sends `signal` to the whole group, waits for the child to exit and for no process of the group to be
   * left, sending SIGKILL to the group if some are still there after `graceMs`. Resolves once the group is
   * gone; rejects (naming the survivors) only if SIGKILL did not end them either.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface SpawnTreeOptions extends Omit<SpawnOptions, 'detached'> {
  /** Where to record the group; defaults to `$DD_PROCESS_LOG`, no record when neither is set. */
  processLog?: string;
}

export interface ProcessRecord {
  pgid: number;
  command: string;
  /** The pid of the process that started it. */
  parent: number;
}

/** `node <the package's bin script>` for a binary of node_modules/.bin: no `npx` or shell wrapper in between. */
export function nodeBin(bin: string, args: string[] = []): [string, string[]] {
  return [process.execPath, [realpathSync(path.join(repoRoot, 'node_modules', '.bin', bin)), ...args]];
}

export function spawnTree(command: string, args: readonly string[], options: SpawnTreeOptions = {}): ProcessTree {
  const { processLog = process.env[PROCESS_LOG_ENV], ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, detached: true });
  const pid = child.pid;
  if (pid !== undefined && processLog) recordGroup(processLog, pid, [command, ...args].join(' '));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (pid === undefined) {
      // spawn failed (e.g. ENOENT); its 'error' event follows and there is nothing to wait for.
      child.once('error', () => resolve({ code: null, signal: null }));
      return;
    }
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  // A child that fails to start must not crash the parent with an unhandled 'error'.
  child.on('error', () => {});
  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> => {
    if (pid === undefined) return Promise.resolve();
    stopping ??= (async () => {
      signalGroup(pid, signal);
      const gone = async () => (child.exitCode !== null || child.signalCode !== null) && groupMembers(pid).length === 0;
      if (await waitFor(gone, graceMs)) return;
      signalGroup(pid, 'SIGKILL');
      if (await waitFor(gone, 10_000)) return;
      const left = groupMembers(pid).map((p) => `${p.pid} ${p.cmdline}`);
      throw new Error(`Process group ${pid} (${command}) did not stop: ${left.join('; ') || 'the child did not report its exit'}`);
    })();
    return stopping;
  };
  return { child, pid, exited, stop };
}

/** Adds a process group to a process log, for the end-of-run check. */
export function recordGroup(processLog: string, pgid: number, command: string): void {
  const record: ProcessRecord = { pgid, command, parent: process.pid };
  appendFileSync(processLog, `${JSON.stringify(record)}\n`);
}

/** Sends a signal to every process of a group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Kernel state letter: R, S, D, Z (zombie: exited, not yet reaped)… */
  state: string;
  /** Start time in clock ticks since boot (Linux), to tell a process from a later one with the same pid. */
  startTime: number;
  cmdline: string;
}

/** Every process of the machine (those we may read). */
export function listProcesses(): ProcessInfo[] {
  if (!existsSync('/proc/self/stat')) return listWithPs();
  const out: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProc(Number(entry));
    if (info) out.push(info);
  }
  return out;
}

function readProc(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice num_threads itrealvalue starttime …"; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    } catch {
      // gone meanwhile, or not ours to read
    }
    if (!cmdline) cmdline = `[${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}]`;
    return { pid, state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: Number(fields[19]), cmdline };
  } catch {
    return undefined;
  }
}

function listWithPs(): ProcessInfo[] {
  const ps = spawnSync('ps', ['-axo', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s?(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), state: m[4]![0]!, startTime: 0, cmdline: m[5]! }));
}

/** The living processes of a group (zombies have exited: they only wait for their parent to reap them). */
export function groupMembers(pgid: number, processes: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  return processes.filter((p) => p.pgid === pgid && p.state !== 'Z' && p.pid !== process.pid);
}

/** Every living descendant of a process, found through parent pids. */
export function descendants(pid: number, processes: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes) {
      if (parents.has(p.ppid) && !parents.has(p.pid) && p.state !== 'Z') {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** Polls `check` until it holds (true) or the deadline passes (false). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function readProcessLog(file: string): ProcessRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as ProcessRecord);
}

export interface Leftover extends ProcessInfo {
  /** The command the recorded group was started with. */
  startedAs: string;
}

/** The processes still alive in the groups recorded in `file`. */
export function findLeftovers(file: string): Leftover[] {
  const processes = listProcesses();
  const seen = new Set<number>();
  const out: Leftover[] = [];
  for (const record of readProcessLog(file)) {
    if (seen.has(record.pgid)) continue;
    seen.add(record.pgid);
    for (const p of groupMembers(record.pgid, processes)) out.push({ ...p, startedAs: record.command });
  }
  return out;
}

/**
 * The end-of-run check: reports every process still alive in a recorded group (with its command line)
 * once `settleMs` have given processes already on their way out the time to go, stops those groups
 * (SIGTERM, then SIGKILL), and returns what it found; none found means none was left.
 */
export async function reapLeftovers(file: string, report: (line: string) => void = console.error, settleMs = 2_000): Promise<Leftover[]> {
  await waitFor(() => findLeftovers(file).length === 0, settleMs, 100);
  const leftovers = findLeftovers(file);
  for (const p of leftovers) report(`Left running after the tests: pid ${p.pid} (group of \`${p.startedAs}\`): ${p.cmdline}`);
  for (const pgid of new Set(leftovers.map((p) => p.pgid))) {
    signalGroup(pgid, 'SIGTERM');
    if (!(await waitFor(() => groupMembers(pgid).length === 0, 3_000))) {
      signalGroup(pgid, 'SIGKILL');
      await waitFor(() => groupMembers(pgid).length === 0, 5_000);
    }
  }
  return leftovers;
}
