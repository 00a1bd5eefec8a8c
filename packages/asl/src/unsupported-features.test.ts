/**
 * A published definition may use a field Stepwise does not execute yet: the validator says so as a
 * warning naming the field, and a run fails when it reaches the state, with a cause naming the field,
 * rather than running the state without it.
 */
import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "./definition.ts";
import { runExecution } from "./runner/run-execution.ts";
import { validateDefinition } from "./validate/index.ts";

const reader = {
  Resource: "arn:aws:states:::s3:getObject",
  ReaderConfig: { InputType: "MANIFEST", ManifestType: "ATHENA_DATA" },
  Parameters: { Bucket: "b", Key: "items.json" },
};
const distributedMap = (fields: Record<string, unknown>) => ({
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Next: "Process" },
    Process: {
      Type: "Map",
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        StartAt: "I",
        States: { I: { Type: "Pass", End: true } },
      },
      End: true,
      ...fields,
    },
  },
});

describe("fields Stepwise does not execute", () => {
  it("validates with a warning naming each such field", () => {
    const result = validateDefinition(distributedMap({ ItemReader: reader, ItemBatcher: { MaxItemsPerBatch: 10 } }));
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([
      {
        severity: "WARNING",
        code: "UNSUPPORTED_FEATURE",
        message: "The state 'Process' uses 'ItemReader.ReaderConfig.ManifestType: ATHENA_DATA', which Stepwise does not execute yet",
        location: "/States/Process/ItemReader/ReaderConfig/ManifestType",
      },
    ]);
  });

  it("fails the run at that state with States.Runtime naming the field, not an error about the input", async () => {
    const definition = distributedMap({ ItemReader: reader }) as StateMachineDefinition;
    const result = await runExecution(definition, { input: { note: "no items here: they are in S3" } });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Runtime");
    expect(result.cause).toContain(
      "The state 'Process' uses 'ItemReader.ReaderConfig.ManifestType: ATHENA_DATA', which Stepwise does not execute yet",
    );
    expect(result.events.map((e) => e.type).slice(-2)).toEqual(["MapStateEntered", "ExecutionFailed"]);
  });

  it("neither warns about nor refuses a distributed Map over its input's items, or one reading an S3 Inventory manifest", async () => {
    const inventory = { ...reader, ReaderConfig: { InputType: "MANIFEST", ManifestType: "S3_INVENTORY" } };
    expect(validateDefinition(distributedMap({ ItemReader: inventory })).diagnostics).toEqual([]);
    const definition = distributedMap({ ItemsPath: "$.items" });
    expect(validateDefinition(definition).diagnostics).toEqual([]);
    const result = await runExecution(definition as StateMachineDefinition, { input: { items: [1, 2] } });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: [1, 2] });
  });
});
