import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateDefinition } from "./validate-definition.ts";

interface Case {
  id: string;
  definition: unknown;
}

const cases: Case[] = readFileSync(new URL("../../../../../shared/conformance/cases.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Case);

describe("every definition that ran on AWS validates", () => {
  it("reads the conformance cases", () => {
    expect(cases.length).toBeGreaterThan(400);
  });

  it.each(cases.map((c) => [c.id, c.definition] as const))("%s", (_id, definition) => {
    const result = validateDefinition(JSON.stringify(definition));
    expect(result.diagnostics.filter((d) => d.severity === "ERROR")).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.definition).toEqual(definition);
  });
});
