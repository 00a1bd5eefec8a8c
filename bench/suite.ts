/**
 * What a benchmark suite hands to `bench/run.ts`. Each file in `bench/suites/` default-exports or
 * exports `suite`, so a new suite is one new file and no edit anywhere else.
 */
export interface Row {
  /** The benchmark within the suite, e.g. "10 Pass + Choice". */
  benchmark: string;
  /** What was measured: an engine ("Stepwise") or a comparison ("Stepwise / peer"). */
  subject: string;
  value: number;
  unit: string;
  note?: string;
}

export interface Suite {
  name: string;
  run(): Promise<Row[]>;
}

/** A row comparing two figures measured in the same run. */
export function ratioRow(benchmark: string, subject: string, ours: number, theirs: number, target?: number): Row {
  const value = ours / theirs;
  const note = target === undefined ? undefined : `target >= ${target}x${value >= target ? "" : " — MISSED"}`;
  return { benchmark, subject, value, unit: "x", ...(note ? { note } : {}) };
}
