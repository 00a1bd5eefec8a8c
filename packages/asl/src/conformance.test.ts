/**
 * Ground truth: every case in ../shared/conformance (what real AWS produced) runs through the local
 * runner. A case may fail only if it is listed, with a reason, in conformance-known-gaps.json; a listed
 * case that now passes fails this test, so the list only shrinks. The Task cases (tasks.jsonl, whose
 * mocks replay what AWS's services returned) must match the recorded event sequence as well as the
 * result; their gaps are listed in conformance-task-known-gaps.json.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type CaseReport, parseCases, runCase } from "./runner/test-cases.ts";

const readJson = (url: URL) => JSON.parse(readFileSync(url, "utf8"));
const sharedCases = (file: string) => parseCases(readFileSync(new URL(`../../../../shared/conformance/${file}`, import.meta.url), "utf8"));
const knownGaps: Record<string, string> = readJson(new URL("../conformance-known-gaps.json", import.meta.url));
const taskKnownGaps: Record<string, string> = readJson(new URL("../conformance-task-known-gaps.json", import.meta.url));
const cases = sharedCases("cases.jsonl");
const taskCases = sharedCases("tasks.jsonl");

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

describe("conformance with recorded AWS Task runs (results and event sequences)", () => {
  it.each(taskCases.map((c) => [c.id, c] as const))("%s", async (id, testCase) => {
    const report = await runCase(testCase);
    const pass = report.pass && report.eventsMatch === true;
    const reason = report.pass ? `events differ: ${JSON.stringify(report.events)}` : report.reason;
    if (taskKnownGaps[id] !== undefined) {
      expect(pass, `known gap now passes: remove it from conformance-task-known-gaps.json`).toBe(false);
    } else {
      expect(pass, reason).toBe(true);
    }
  });

  it("lists only cases that exist as known gaps", () => {
    const ids = new Set(taskCases.map((c) => c.id));
    expect(Object.keys(taskKnownGaps).filter((id) => !ids.has(id))).toEqual([]);
  });
});
