import type { Executor } from "@stepwise/storage";
import { describe, expect, it } from "vitest";
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
  });
});
