/**
 * One request must not freeze a process. On the live app (API and worker in one process, real Redis and
 * Postgres), hostile expressions go through TestState and through executions while a prober keeps asking
 * /healthz: every answer comes promptly, and the expression fails with AWS's error name, once.
 *
 * Before expression budgets, `$..*..*` over 1,200 nested arrays held the event loop for 72 s, a backtracking
 * regex for seconds per character, and four runaway JSONata recursions for 20 s.
 */
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand, TestStateCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveApi, send, startLiveApi } from "../live-api.ts";

const KEY = { id: "AKIDEXPRESSIONBUDGET", secret: "expression-budget-secret/K7MDENG+bPxRf" };
const ROLE = "arn:aws:iam::123456789012:role/budget";
/** How late /healthz may answer while a hostile expression runs: the 500 ms budget, unwinding, a busy CI. */
const PROMPT_MS = 2_000;

/** `[[[…[1]…]]]`, 1,200 arrays deep: 2.4 KB, as in the report. */
const NESTED = `${"[".repeat(1_200)}1${"]".repeat(1_200)}`;

const JSONPATH_BOMB = { Type: "Pass", Parameters: { "c.$": "$..*..*" }, End: true };
const REGEX_BOMB = { Type: "Pass", QueryLanguage: "JSONata", Output: `{% $contains("${"a".repeat(40)}!", /^(a+)+$/) %}`, End: true };
/** 10 KB of text that becomes arrays 5,000 deep: more than JSON.stringify's stack allows. */
const DEPTH_BOMB = { Type: "Pass", Parameters: { "deep.$": "States.StringToJson($.text)" }, End: true };
const DEPTH_TEXT = JSON.stringify({ text: `${"[".repeat(5_000)}${"]".repeat(5_000)}` });
const RECURSION_BOMB = {
  Type: "Pass",
  QueryLanguage: "JSONata",
  Output: "{% ($f := function($n){ $f($n + 1) }; $f(0)) %}",
  End: true,
};

let api: LiveApi;
let sfn: SFNClient;

beforeAll(async () => {
  api = await startLiveApi({ apiEnv: { STEPWISE_ACCESS_KEYS: `${KEY.id}:${KEY.secret}` } });
  api.t.worker();
  sfn = new SFNClient({
    endpoint: api.endpoint,
    region: api.region,
    credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
    maxAttempts: 1,
    // Stepwise serves TestState on its one host; the SDK would prefix it with `sync-`.
    disableHostPrefix: true,
  });
});

afterAll(async () => {
  sfn.destroy();
  await api.close();
});

/** Runs `work` while asking /healthz every 20 ms; the slowest answer tells how long the process was held. */
async function whileProbing<T>(work: () => Promise<T>): Promise<{ result: T; slowestHealthzMs: number; probes: number }> {
  let done = false;
  let slowest = 0;
  let probes = 0;
  const prober = (async () => {
    while (!done) {
      const started = performance.now();
      const answer = await send(api.endpoint, "GET", "/healthz", {});
      expect(answer.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - started);
      probes += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    const result = await work();
    return { result, slowestHealthzMs: slowest, probes };
  } finally {
    done = true;
    await prober;
  }
}

const testState = (state: object, input = "{}") =>
  sfn.send(new TestStateCommand({ definition: JSON.stringify(state), roleArn: ROLE, input }));

describe("TestState, open to every key, answers a hostile expression promptly with AWS's error", () => {
  it("fails `$..*..*` over 1,200 nested arrays with States.Runtime", async () => {
    const { result, slowestHealthzMs } = await whileProbing(() => testState(JSONPATH_BOMB, NESTED));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("States.Runtime");
    expect(result.cause).toContain("Invalid path '$..*..*' : Path evaluation exceeded its budget");
    expect(slowestHealthzMs).toBeLessThan(PROMPT_MS);
  });

  it("matches a nested-quantifier regex without backtracking", async () => {
    const { result, slowestHealthzMs } = await whileProbing(() => testState(REGEX_BOMB));
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toBe("false");
    expect(slowestHealthzMs).toBeLessThan(PROMPT_MS);
  });

  it("stops four runaway recursions sent at once with States.QueryEvaluationError", async () => {
    const { result, slowestHealthzMs, probes } = await whileProbing(() => Promise.all([1, 2, 3, 4].map(() => testState(RECURSION_BOMB))));
    for (const answer of result) {
      expect(answer.status).toBe("FAILED");
      expect(answer.error).toBe("States.QueryEvaluationError");
      expect(answer.cause).toContain("Expression evaluation timeout: Check for infinite loop");
    }
    expect(probes).toBeGreaterThan(1);
    expect(slowestHealthzMs).toBeLessThan(PROMPT_MS);
  });
});

describe("an execution with a hostile expression fails once, with AWS's error, while the process keeps answering", () => {
  async function runBomb(name: string, state: object, input: string) {
    const created = await sfn.send(
      new CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify({ StartAt: "Bomb", States: { Bomb: state } }) }),
    );
    return whileProbing(async () => {
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, input }));
      return api.t.waitFor(started.executionArn as string, 20_000);
    });
  }

  it("fails `$..*..*` with States.Runtime, never re-run", async () => {
    const { result, slowestHealthzMs } = await runBomb("jsonpath-bomb", JSONPATH_BOMB, NESTED);
    expect(result.execution.status).toBe("FAILED");
    const failed = result.history.find((e) => e.type === "ExecutionFailed");
    expect(failed?.executionFailedEventDetails?.error).toBe("States.Runtime");
    expect(failed?.executionFailedEventDetails?.cause).toContain("Path evaluation exceeded its budget");
    expect(result.history.filter((e) => e.type === "PassStateEntered")).toHaveLength(1);
    expect(slowestHealthzMs).toBeLessThan(PROMPT_MS);
  });

  it("fails data that States.StringToJson nests too deeply to serialise with States.Runtime, not RUNNING for ever", async () => {
    const { result } = await runBomb("depth-bomb", DEPTH_BOMB, DEPTH_TEXT);
    expect(result.execution.status).toBe("FAILED");
    const failed = result.history.find((e) => e.type === "ExecutionFailed");
    expect(failed?.executionFailedEventDetails?.error).toBe("States.Runtime");
    expect(failed?.executionFailedEventDetails?.cause).toContain("nested too deeply to serialise");
    expect(result.history.filter((e) => e.type === "PassStateEntered")).toHaveLength(1);
  });

  it("fails a runaway recursion with States.QueryEvaluationError, never re-run", async () => {
    const { result, slowestHealthzMs } = await runBomb("recursion-bomb", RECURSION_BOMB, "{}");
    expect(result.execution.status).toBe("FAILED");
    const failed = result.history.find((e) => e.type === "ExecutionFailed");
    expect(failed?.executionFailedEventDetails?.error).toBe("States.QueryEvaluationError");
    expect(result.history.filter((e) => e.type === "PassStateEntered")).toHaveLength(1);
    expect(slowestHealthzMs).toBeLessThan(PROMPT_MS);
  });
});
