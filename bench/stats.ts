/** Small helpers for benchmark scripts: time a bounded loop and summarise it. */
import { loadavg } from 'node:os';
export interface Summary {
  name: string;
  n: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
}

export function summarise(name: string, samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { name, n: s.length, medianMs: round(at(0.5)), p95Ms: round(at(0.95)), meanMs: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function measure(name: string, iterations: number, fn: (i: number) => Promise<unknown>, warmup = 5): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return summarise(name, samples);
}

export function printTable(rows: Summary[]): void {
  console.table(rows.map((r) => ({ benchmark: r.name, n: r.n, 'median ms': r.medianMs, 'p95 ms': r.p95Ms, 'mean ms': r.meanMs })));
}

/** One line of a side-by-side table: our figure beside a peer's (measured in the same run) or a floor. */
export interface Comparison {
  figure: string;
  ours: number;
  /** The peer's figure or the physical floor; undefined where there is none. */
  other?: number;
  /** What `other` is: 'peer: naive samples', 'floor: OBO + 2 Graph rounds + render'… */
  vs?: string;
  unit?: string;
}

/** Three significant digits below 100 (CPU ms per request, ratios), whole numbers above. */
const fmt = (x: number | undefined, unit = '') =>
  x === undefined ? '' : `${Math.abs(x) >= 100 ? Math.round(x) : Number(x.toPrecision(3))}${unit ? ` ${unit}` : ''}`;

/** Prints figure | ours | peer or floor | ratio (ours ÷ other: below 1 is ours ahead for costs). */
export function printComparison(title: string, rows: Comparison[]): void {
  console.log(`\n${title}   (load average ${loadAverage()})`);
  console.table(
    rows.map((r) => ({
      figure: r.figure,
      ours: fmt(r.ours, r.unit),
      'peer or floor': r.other === undefined ? '' : `${fmt(r.other, r.unit)}${r.vs ? ` (${r.vs})` : ''}`,
      ratio: r.other === undefined || r.other === 0 ? '' : `${(r.ours / r.other).toFixed(2)}×`,
    })),
  );
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them: benches on a shared machine are noisy. */
export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
}

export const median = (xs: number[]): number => summarise('', xs).medianMs;
