import {
  createStateMachineAlias,
  getExecution,
  publishStateMachineVersion,
  StateMachineDoesNotExist,
  updateStateMachine,
} from "@stepwise/storage";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { machineTarget } from "./arns.ts";
import { pickVersion } from "./version-routing.ts";

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";

describe("machineTarget", () => {
  it("tells the machine, a version and an alias apart", () => {
    expect(machineTarget(MACHINE)).toEqual({ kind: "machine", machineArn: MACHINE });
    expect(machineTarget(`${MACHINE}:12`)).toEqual({ kind: "version", machineArn: MACHINE, arn: `${MACHINE}:12`, version: 12 });
    expect(machineTarget(`${MACHINE}:prod`)).toEqual({ kind: "alias", machineArn: MACHINE, arn: `${MACHINE}:prod`, alias: "prod" });
    expect(machineTarget(`${MACHINE}:01`)).toMatchObject({ kind: "alias" });
    for (const bad of [`${MACHINE}:`, `${MACHINE}:1:2`, "arn:aws:states:us-east-1:123456789012:activity:a"]) {
      expect(machineTarget(bad)).toBeNull();
    }
  });
});

describe("pickVersion", () => {
  const routing = [
    { stateMachineVersionArn: "v1", weight: 30 },
    { stateMachineVersionArn: "v2", weight: 70 },
  ];

  it("gives each version the share of the range its weight says", () => {
    expect(pickVersion(routing, () => 0)).toBe("v1");
    expect(pickVersion(routing, () => 0.2999)).toBe("v1");
    expect(pickVersion(routing, () => 0.3)).toBe("v2");
    expect(pickVersion(routing, () => 0.9999)).toBe("v2");
  });

  it("never picks a version of weight 0", () => {
    const zeroFirst = [
      { stateMachineVersionArn: "v1", weight: 0 },
      { stateMachineVersionArn: "v2", weight: 100 },
    ];
    expect(pickVersion(zeroFirst, () => 0)).toBe("v2");
    expect(pickVersion([...zeroFirst].reverse(), () => 0.9999)).toBe("v2");
  });
});

describe("starting through a version or an alias", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(() => t.close());

  it("runs the version's definition and records what it was started through, started together with other starts", async () => {
    const first = { StartAt: "A", States: { A: { Type: "Pass" as const, End: true } } };
    const machine = await t.createMachine(first);
    const v1 = (await publishStateMachineVersion(t.runtime.db, machine)).version.arn;
    const second = JSON.stringify({ StartAt: "B", States: { B: { Type: "Pass", End: true } } });
    await updateStateMachine(t.runtime.db, machine, { definition: second });
    await createStateMachineAlias(t.runtime.db, {
      arn: `${machine}:old`,
      stateMachineArn: machine,
      name: "old",
      routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }],
    });
    const start = (stateMachineArn: string, name: string) => t.runtime.engine.start({ stateMachineArn, name });
    const settled = await Promise.allSettled([
      start(machine, "latest"),
      start(v1, "by-version"),
      start(`${machine}:old`, "by-alias"),
      start(`${machine}:9`, "no-version"),
      start(`${machine}:none`, "no-alias"),
    ]);
    const [latest, byVersion, byAlias] = await Promise.all(
      settled
        .slice(0, 3)
        .map((s) => getExecution(t.runtime.db, (s as PromiseFulfilledResult<{ executionArn: string }>).value.executionArn)),
    );
    expect(latest).toMatchObject({ definition: second, stateMachineVersionArn: null, stateMachineAliasArn: null });
    expect(byVersion).toMatchObject({
      arn: expect.stringMatching(/:execution:[^:]+:by-version$/),
      stateMachineArn: machine,
      definition: JSON.stringify(first),
      stateMachineVersionArn: v1,
      stateMachineAliasArn: null,
    });
    expect(byAlias).toMatchObject({
      definition: JSON.stringify(first),
      stateMachineVersionArn: v1,
      stateMachineAliasArn: `${machine}:old`,
    });
    for (const missing of settled.slice(3)) {
      expect((missing as PromiseRejectedResult).reason).toBeInstanceOf(StateMachineDoesNotExist);
    }
  });
});
