/** What a step may take shortcuts on, and what it may not: history texts, the caller's position. */
import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../definition.ts";
import type { Json } from "../json.ts";
import { runExecution } from "../runner/run-execution.ts";
import { advance } from "./advance.ts";
import { beginExecution } from "./begin-execution.ts";
import { compileMachine } from "./compiled-machine.ts";
import type { ExecutionInfo } from "./execution-info.ts";

const execution: ExecutionInfo = {
  executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e",
  executionName: "e",
  startTime: "2024-01-01T00:00:00.000Z",
  roleArn: "arn:aws:iam::123456789012:role/r",
  stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M",
  stateMachineName: "M",
  input: { a: 1, "2": "digit key" },
  redriveCount: 0,
};
const env = { now: new Date("2024-01-01T00:00:01.000Z"), random: () => 0.5, nextEventId: 2 };

/** Pass states whose outputs the text shortcuts build: appended, replaced and index-like members, OutputPath. */
const reshaping: StateMachineDefinition = {
  StartAt: "Append",
  States: {
    Append: { Type: "Pass", Parameters: { "x.$": "$.a" }, ResultPath: "$.added", Next: "Replace" },
    Replace: { Type: "Pass", Result: { y: 2 }, ResultPath: "$.a", Next: "IndexLike" },
    IndexLike: { Type: "Pass", Result: "i", ResultPath: "$['7']", Next: "Narrow" },
    Narrow: { Type: "Pass", Result: [1], ResultPath: "$.list", OutputPath: "$.added", Next: "Route" },
    Route: { Type: "Choice", Choices: [{ Variable: "$.x", NumericEquals: 1, Next: "Done" }] },
    Done: { Type: "Succeed" },
  },
};

describe("a step's history texts", () => {
  it("are the state data serialised, in JavaScript's key order", async () => {
    const result = await runExecution(reshaping, { input: execution.input });
    const texts = result.events.flatMap((e) => {
      const details = e.stateEnteredEventDetails ?? e.stateExitedEventDetails;
      return details ? [[e.type, "input" in details ? details.input : details.output]] : [];
    });
    const afterAppend = { "2": "digit key", a: 1, added: { x: 1 } };
    const afterReplace = { "2": "digit key", a: { y: 2 }, added: { x: 1 } };
    const afterIndexLike = { "2": "digit key", "7": "i", a: { y: 2 }, added: { x: 1 } };
    const expected: [string, Json][] = [
      ["PassStateEntered", execution.input],
      ["PassStateExited", afterAppend],
      ["PassStateEntered", afterAppend],
      ["PassStateExited", afterReplace],
      ["PassStateEntered", afterReplace],
      ["PassStateExited", afterIndexLike],
      ["PassStateEntered", afterIndexLike],
      ["PassStateExited", { x: 1 }],
      ["ChoiceStateEntered", { x: 1 }],
      ["ChoiceStateExited", { x: 1 }],
      ["SucceedStateEntered", { x: 1 }],
      ["SucceedStateExited", { x: 1 }],
    ];
    expect(texts).toEqual(expected.map(([type, value]) => [type, JSON.stringify(value)]));
    expect(result.events.at(-1)?.executionSucceededEventDetails?.output).toBe('{"x":1}');
  });

  it("take the input's text from the caller when it has it", async () => {
    const machine = compileMachine(reshaping);
    const begun = beginExecution(machine, execution, env);
    const step = await advance(machine, begun.position, { type: "run" }, { ...env, stateInputText: '{"2":"digit key", "a":1}' }, execution);
    expect(step.events[0]?.stateEnteredEventDetails?.input).toBe('{"2":"digit key", "a":1}');
  });
});

describe("advance", () => {
  it("leaves the position it was given as it was: the runtime keeps it", async () => {
    const machine = compileMachine(reshaping);
    const { position } = beginExecution(machine, execution, env);
    const before = structuredClone(position);
    const step = await advance(machine, position, { type: "run" }, env, execution);
    expect(step.position.phase).toBe("done");
    expect(position).toEqual(before);
    expect(Object.keys(position)).toEqual(Object.keys(before));
  });
});
