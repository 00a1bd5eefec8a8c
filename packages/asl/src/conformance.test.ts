/**
 * Ground truth: every case in ../shared/conformance (what real AWS produced) runs through the local
 * runner. A case may fail only if it is listed, with a reason, in conformance-known-gaps.json; a listed
 * case that now passes fails this test, so the list only shrinks.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type CaseReport, parseCases, runCase } from "./runner/test-cases.ts";

const casesUrl = new URL("../../../../shared/conformance/cases.jsonl", import.meta.url);
const knownGaps: Record<string, string> = JSON.parse(readFileSync(new URL("../conformance-known-gaps.json", import.meta.url), "utf8"));
const cases = parseCases(readFileSync(casesUrl, "utf8"));

describe("conformance with recorded AWS behaviour", () => {
  const reports: CaseReport[] = [];

  it.each(cases.map((c) => [c.id, c] as const))("%s", async (id, testCase) => {
    const report = await runCase(testCase);
    reports.push(report);
    if (knownGaps[id] !== undefined) {
      expect(report.pass, `known gap now passes: remove it from conformance-known-gaps.json`).toBe(false);
    } else {
      expect(report.pass, report.reason).toBe(true);
    }
  });

  it("reports pass counts per category", () => {
    const byCategory = new Map<string, { pass: number; total: number; cause: number; events: number; withEvents: number }>();
    for (const r of reports) {
      const row = byCategory.get(r.category ?? "?") ?? { pass: 0, total: 0, cause: 0, events: 0, withEvents: 0 };
      row.total += 1;
      if (r.pass) row.pass += 1;
      if (r.causeMatches) row.cause += 1;
      if (r.eventsMatch !== undefined) {
        row.withEvents += 1;
        if (r.eventsMatch) row.events += 1;
      }
      byCategory.set(r.category ?? "?", row);
    }
    const lines = [...byCategory].map(
      ([c, r]) => `${c.padEnd(22)} ${r.pass}/${r.total} pass, causes ${r.cause}/${r.total}, events ${r.events}/${r.withEvents}`,
    );
    process.stdout.write(`\nConformance by category:\n${lines.join("\n")}\n`);
    expect(reports.length).toBe(cases.length);
  });
});
