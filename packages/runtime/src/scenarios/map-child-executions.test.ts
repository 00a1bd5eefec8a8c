import type { StateMachineDefinition } from "@stepwise/asl";
import { getExecution, getHistory, listExecutions } from "@stepwise/storage";
import { assertWellFormedHistory, createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcile } from "../scheduler/reconciler.ts";

/** A distributed Map over the input's items, each child running `itemStates` from the first. */
function distributedMap(itemStates: Record<string, unknown>): StateMachineDefinition {
  return {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: Object.keys(itemStates)[0] as string,
          States: itemStates,
        },
        End: true,
      },
    },
  } as StateMachineDefinition;
}

/**
 * No worker runs here until the test says so: each transition is applied by hand, so the jobs that tell a
 * parent its child ended (or tell a child its parent stopped) can be lost on purpose, as a Redis flush or a
 * crash between a commit and its enqueue would lose them.
 */
describe("a distributed Map's items run as child executions, and nothing is lost between them and their parent", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(() => t.close());

  const mapRunOf = async (executionArn: string) => {
    const started = (await getHistory(t.runtime.db, executionArn)).find((e) => e.type === "MapRunStarted");
    return started?.mapRunStartedEventDetails?.mapRunArn as string;
  };
  const childrenOf = async (mapRunArn: string) => (await listExecutions(t.runtime.db, { mapRunArn, maxResults: 1000 })).items;

  it("each item is an execution of its own with its own history; the parent's history holds the Map Run only", async () => {
    const machine = await t.createMachine(
      distributedMap({ Double: { Type: "Pass", Parameters: { "twice.$": "States.MathAdd($.n, $.n)" }, End: true } }),
    );
    const { executionArn } = await t.runtime.engine.start({
      stateMachineArn: machine,
      input: JSON.stringify([{ n: 1 }, { n: 2 }, { n: 3 }]),
    });
    await t.runtime.engine.apply(executionArn, "", { type: "run" });
    const mapRunArn = await mapRunOf(executionArn);
    const children = await childrenOf(mapRunArn);
    expect(children).toHaveLength(3);
    for (const child of children) {
      expect(child.stateMachineArn).toBe(`${machine}/Each`);
      expect(child.arn.startsWith(`${machine.replace(":stateMachine:", ":execution:")}/Each:`)).toBe(true);
      expect(child.status).toBe("RUNNING");
    }
    // The children end, and the process that ran them dies before it tells the parent (its commit is
    // done, what it does next is lost): the reconciler tells the parent instead.
    const engine = t.runtime.engine;
    const apply = engine.apply.bind(engine);
    engine.apply = async (arn, threadId, trigger, guards) =>
      trigger.type === "childExecutionEnded" ? null : apply(arn, threadId, trigger, guards);
    try {
      for (const child of children) await engine.apply(child.arn, "", { type: "run" });
    } finally {
      engine.apply = apply;
    }
    await t.runtime.queues.transitions.obliterate({ force: true });
    expect((await getHistory(t.runtime.db, executionArn)).some((e) => e.type === "MapRunSucceeded")).toBe(false);
    expect((await reconcile(t.runtime, 0)).children).toBe(3);
    const worker = t.worker({ handlers: {} });
    const { execution, history } = await t.waitFor(executionArn);
    await worker.close();
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual([{ twice: 2 }, { twice: 4 }, { twice: 6 }]);
    expect(history.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "MapStateEntered",
      "MapStateStarted",
      "MapRunStarted",
      "MapRunSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
    assertWellFormedHistory(history);

    const child = await getExecution(t.runtime.db, (children[0] as { arn: string }).arn);
    expect(child).toMatchObject({ status: "SUCCEEDED", mapRunArn, parentExecutionArn: executionArn });
    const childHistory = await getHistory(t.runtime.db, child.arn);
    expect(childHistory.map((e) => e.type)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    // The reconciler has nothing more to do: a second run sends nothing again.
    expect((await reconcile(t.runtime, 0)).children).toBe(0);
  });

  it("a stopped parent stops its running children, even when the jobs that stop them are lost", async () => {
    const machine = await t.createMachine(distributedMap({ Sleep: { Type: "Wait", Seconds: 3600, End: true } }));
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: machine, input: JSON.stringify([1, 2, 3, 4]) });
    await t.runtime.engine.apply(executionArn, "", { type: "run" });
    const children = await childrenOf(await mapRunOf(executionArn));
    for (const child of children) await t.runtime.engine.apply(child.arn, "", { type: "run" });
    expect((await getHistory(t.runtime.db, (children[0] as { arn: string }).arn)).at(-1)?.type).toBe("WaitStateEntered");

    await t.runtime.engine.stop(executionArn, "Operator.Stop", "enough");
    await t.runtime.queues.transitions.obliterate({ force: true });
    expect((await reconcile(t.runtime, 0)).children).toBe(4);
    t.worker({ handlers: {} });
    const stopped = await Promise.all(children.map((c) => t.waitFor(c.arn)));
    expect(stopped.map((s) => s.execution.status)).toEqual(["ABORTED", "ABORTED", "ABORTED", "ABORTED"]);
    expect((await getExecution(t.runtime.db, executionArn)).status).toBe("ABORTED");
    expect((await reconcile(t.runtime, 0)).children).toBe(0);
  });
});
