/** Rows as a fixed-width text table, numbers right-aligned with thousands separators. */
import type { Row } from "./suite.ts";

export interface SuiteRows {
  suite: string;
  rows: Row[];
}

const HEADERS = ["suite", "benchmark", "subject", "value", "unit", "note"] as const;

export function formatValue(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function renderTable(results: SuiteRows[]): string {
  const cells = results.flatMap(({ suite, rows }) =>
    rows.map((row) => [suite, row.benchmark, row.subject, formatValue(row.value), row.unit, row.note ?? ""]),
  );
  const widths = HEADERS.map((header, col) => Math.max(header.length, ...cells.map((line) => line[col]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, col) => (HEADERS[col] === "value" ? value.padStart(widths[col]!) : value.padEnd(widths[col]!)))
      .join("  ")
      .trimEnd();
  return [line(HEADERS), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}
