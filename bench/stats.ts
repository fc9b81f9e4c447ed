/** Small helpers for benchmark scripts: time a bounded loop and summarise it. */
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
