import type { Executor } from "@stepwise/storage";
import { describe, expect, it } from "vitest";
import { definitionReach } from "./definition-reach.ts";
import { Access, AccessDenied, type ResourceRef } from "./scopes.ts";

const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const CONTEXT = { region: "us-east-1", accountId: "123456789012" };
// ARNs are decided without a lookup; only task tokens need the database (see scoped-access.test.ts).
const NO_DATABASE = {} as Executor;

const orders = Access.scoped("Access key AKIDORDERS", { stateMachines: ["orders-*", "exact_name"], activities: ["orders-worker"] });

async function allowed(access: Access, arn: string): Promise<boolean> {
  try {
    await access.require(NO_DATABASE, "states:Test", [{ arn } satisfies ResourceRef]);
    return true;
  } catch (error) {
    if (error instanceof AccessDenied) return false;
    throw error;
  }
}

describe("a scoped credential", () => {
  it("reaches machines, their versions, executions and map runs by the machine's name", async () => {
    for (const arn of [
      `${ACCOUNT}:stateMachine:orders-a`,
      `${ACCOUNT}:stateMachine:orders-`,
      `${ACCOUNT}:stateMachine:orders-a:1`,
      `${ACCOUNT}:execution:orders-a:run-1`,
      `${ACCOUNT}:express:orders-a:run-1:0f1e`,
      `${ACCOUNT}:mapRun:orders-a/Map:9b7c`,
      `${ACCOUNT}:stateMachine:exact_name`,
      `${ACCOUNT}:activity:orders-worker`,
    ]) {
      expect(await allowed(orders, arn), arn).toBe(true);
    }
  });

  it("reaches nothing else, including ARNs it cannot read", async () => {
    for (const arn of [
      `${ACCOUNT}:stateMachine:billing-a`,
      `${ACCOUNT}:stateMachine:orders`,
      `${ACCOUNT}:stateMachine:exactXname`,
      `${ACCOUNT}:execution:billing-a:orders-1`,
      `${ACCOUNT}:activity:orders-worker-2`,
      `${ACCOUNT}:activity:orders-a`,
      // Names may contain `/`: this could be a map run of `exact_name/x`, which is out of scope.
      `${ACCOUNT}:mapRun:exact_name/x/Map:9b7c`,
      "arn:aws:lambda:us-east-1:123456789012:function:orders-a",
      "orders-a",
    ]) {
      expect(await allowed(orders, arn), arn).toBe(false);
    }
  });

  it("names itself, the action and the resource when refused", async () => {
    const refusal = orders.require(NO_DATABASE, "states:DescribeStateMachine", [{ arn: `${ACCOUNT}:stateMachine:billing-a` }]);
    await expect(refusal).rejects.toThrow(
      `Access key AKIDORDERS is not authorized to perform: states:DescribeStateMachine on resource: ${ACCOUNT}:stateMachine:billing-a because it is outside the scope of this credential`,
    );
    await expect(refusal).rejects.toMatchObject({ name: "AccessDeniedException" });
  });

  it("lists through LIKE patterns that match exactly what its name patterns match", () => {
    expect(orders.stateMachineArnPatterns(CONTEXT)).toEqual([`${ACCOUNT}:stateMachine:orders-%`, `${ACCOUNT}:stateMachine:exact\\_name`]);
    expect(orders.activityArnPatterns(CONTEXT)).toEqual([`${ACCOUNT}:activity:orders-worker`]);
    expect(Access.scoped("k", { stateMachines: [], activities: [] }).stateMachineArnPatterns(CONTEXT)).toEqual([]);
  });
});

describe("an unrestricted credential", () => {
  const admin = Access.unrestricted("Access key AKIDADMIN");

  it("reaches everything and lists without a filter", async () => {
    expect(await allowed(admin, `${ACCOUNT}:stateMachine:billing-a`)).toBe(true);
    expect(await allowed(admin, "not an arn")).toBe(true);
    expect(admin.stateMachineArnPatterns(CONTEXT)).toBeUndefined();
    expect(admin.restricted).toBe(false);
  });
});

describe("what a definition reaches", () => {
  const task = (Resource: string, extra: object = {}) => ({ Type: "Task", Resource, End: true, ...extra });
  const start = "arn:aws:states:::states:startExecution.sync:2";
  const definition = JSON.stringify({
    StartAt: "Fan out",
    States: {
      "Fan out": {
        Type: "Parallel",
        Next: "Each",
        Branches: [
          { StartAt: "Work", States: { Work: task(`${ACCOUNT}:activity:orders-worker`) } },
          { StartAt: "Child", States: { Child: task(start, { Parameters: { StateMachineArn: `${ACCOUNT}:stateMachine:billing-a` } }) } },
        ],
      },
      Each: {
        Type: "Map",
        End: true,
        ItemProcessor: {
          StartAt: "Dynamic",
          States: { Dynamic: task("arn:aws:states:::states:startExecution", { Parameters: { "StateMachineArn.$": "$.target" } }) },
        },
      },
    },
  });

  it("finds activities and started machines in branches and item processors, and targets chosen at run time", () => {
    expect(definitionReach(definition)).toEqual({
      arns: [
        { arn: `${ACCOUNT}:activity:orders-worker`, state: "Work" },
        { arn: `${ACCOUNT}:stateMachine:billing-a`, state: "Child" },
      ],
      dynamicStates: ["Dynamic"],
    });
  });

  it("counts JSONata expressions and parameters taken from the input as chosen at run time", () => {
    const jsonata = JSON.stringify({
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: {
        A: task(start, { Arguments: { StateMachineArn: "{% $states.input.target %}" }, End: undefined, Next: "B" }),
        B: task(start, { Arguments: "{% $states.input %}", End: undefined, Next: "C" }),
        C: task(start, { Arguments: { StateMachineArn: `${ACCOUNT}:stateMachine:orders-b` } }),
      },
    });
    expect(definitionReach(jsonata)).toEqual({
      arns: [{ arn: `${ACCOUNT}:stateMachine:orders-b`, state: "C" }],
      dynamicStates: ["A", "B"],
    });
    const noParameters = JSON.stringify({ StartAt: "A", States: { A: task(start) } });
    expect(definitionReach(noParameters).dynamicStates).toEqual(["A"]);
  });

  it("a scoped credential may only create what stays in its scope", () => {
    expect(() => orders.requireReach("states:CreateStateMachine", definitionReach(definition))).toThrow(
      `on resource: ${ACCOUNT}:stateMachine:billing-a because the definition's state 'Child' names it outside the scope`,
    );
    const inScope = JSON.stringify({
      StartAt: "A",
      States: {
        A: task(start, { Parameters: { StateMachineArn: `${ACCOUNT}:stateMachine:orders-b` }, End: undefined, Next: "B" }),
        B: { Type: "Pass", End: true },
      },
    });
    expect(() => orders.requireReach("states:CreateStateMachine", definitionReach(inScope))).not.toThrow();
    const dynamic = JSON.stringify({ StartAt: "A", States: { A: task(start) } });
    expect(() => orders.requireReach("states:CreateStateMachine", definitionReach(dynamic))).toThrow(
      /state 'A' because it starts a state machine chosen at run time/,
    );
    expect(() => Access.unrestricted("admin").requireReach("states:CreateStateMachine", definitionReach(definition))).not.toThrow();
  });
});
