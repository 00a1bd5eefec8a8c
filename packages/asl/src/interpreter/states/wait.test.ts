import { describe, expect, it } from "vitest";
import type { StateMachineDefinition, WaitState } from "../../definition.ts";
import type { Json } from "../../json.ts";
import { virtualClock } from "../../runner/clock.ts";
import { runExecution } from "../../runner/run-execution.ts";
import { firstEvent, typesOf } from "./test-support.ts";

const START = "2024-05-01T12:00:00.000Z";

function waitMachine(wait: Omit<WaitState, "Type">, language?: "JSONata"): StateMachineDefinition {
  return { ...(language ? { QueryLanguage: language } : {}), StartAt: "W", States: { W: { Type: "Wait", End: true, ...wait } } };
}

async function waited(wait: Omit<WaitState, "Type">, input: Json = {}, language?: "JSONata") {
  const result = await runExecution(waitMachine(wait, language), { input, clock: virtualClock(new Date(START)) });
  const entered = firstEvent(result, "WaitStateEntered").timestamp;
  const exited = result.events.find((e) => e.type === "WaitStateExited")?.timestamp;
  return { result, entered, exited, seconds: exited ? (Date.parse(exited) - Date.parse(entered)) / 1000 : undefined };
}

describe("Wait state", () => {
  it("waits Seconds on the virtual clock and passes its input on", async () => {
    const { result, entered, seconds } = await waited({ Seconds: 90 }, { a: 1 });
    expect(entered).toBe(START);
    expect(seconds).toBe(90);
    expect(result.output).toEqual({ a: 1 });
    expect(typesOf(result)).toEqual(["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"]);
  });

  it("waits until Timestamp", async () => {
    const { exited } = await waited({ Timestamp: "2024-05-01T13:30:00Z" });
    expect(exited).toBe("2024-05-01T13:30:00.000Z");
  });

  it("does not wait for a Timestamp in the past", async () => {
    const { seconds } = await waited({ Timestamp: "2020-01-01T00:00:00Z" });
    expect(seconds).toBe(0);
  });

  it("honours a Timestamp's offset", async () => {
    const { exited } = await waited({ Timestamp: "2024-05-01T14:00:00+02:00" });
    expect(exited).toBe("2024-05-01T12:00:00.000Z");
  });

  it("waits the number of seconds at SecondsPath", async () => {
    const { seconds } = await waited({ SecondsPath: "$.delay" }, { delay: 7 });
    expect(seconds).toBe(7);
  });

  it("waits until the timestamp at TimestampPath", async () => {
    const { exited } = await waited({ TimestampPath: "$.until" }, { until: "2024-05-02T00:00:00.000Z" });
    expect(exited).toBe("2024-05-02T00:00:00.000Z");
  });

  it("fails with States.Runtime when SecondsPath is negative", async () => {
    const { result } = await waited({ SecondsPath: "$.delay" }, { delay: -1 });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Runtime");
    expect(result.cause).toContain("The SecondsPath parameter references a negative value");
  });

  it("fails with States.Runtime when TimestampPath is not a timestamp", async () => {
    const { result } = await waited({ TimestampPath: "$.until" }, { until: "tomorrow" });
    expect(result.error).toBe("States.Runtime");
    expect(result.cause).toContain("$.until");
  });

  it("in JSONata, waits the Seconds an expression gives", async () => {
    const { seconds } = await waited({ Seconds: "{% $states.input.d * 2 %}" }, { d: 15 }, "JSONata");
    expect(seconds).toBe(30);
  });

  it("in JSONata, waits until the Timestamp an expression gives", async () => {
    const { exited } = await waited({ Timestamp: "{% $states.input.t %}" }, { t: "2024-05-01T12:00:05Z" }, "JSONata");
    expect(exited).toBe("2024-05-01T12:00:05.000Z");
  });

  it("moves the clock for the states after it", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "W",
      States: {
        W: { Type: "Wait", Seconds: 3600, Next: "P" },
        P: { Type: "Pass", Parameters: { "entered.$": "$$.State.EnteredTime" }, End: true },
      },
    };
    const result = await runExecution(definition, { clock: virtualClock(new Date(START)) });
    expect(result.output).toEqual({ entered: "2024-05-01T13:00:00.000Z" });
  });
});
