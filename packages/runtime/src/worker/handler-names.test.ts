/**
 * Functions named like Object.prototype's members (`valueOf`, `constructor`, `toString`): a user may call
 * a Lambda function anything, and the worker must run the handler registered under that name, never the
 * built-in the name happens to find on a plain object, whether the task runs from its queue, inline,
 * or in an Express execution.
 */

import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const BUILT_IN_NAMES = ["valueOf", "constructor", "toString", "hasOwnProperty"];

/** One task per name, the first three through a Lambda ARN, the last through lambda:invoke's FunctionName. */
const definition = {
  StartAt: "valueOf",
  States: {
    valueOf: { Type: "Task", Resource: fn("valueOf"), ResultPath: "$.valueOf", Next: "constructor" },
    constructor: { Type: "Task", Resource: fn("constructor"), ResultPath: "$.constructor", Next: "toString" },
    toString: { Type: "Task", Resource: fn("toString"), ResultPath: "$.toString", Next: "hasOwnProperty" },
    hasOwnProperty: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "hasOwnProperty", Payload: {} },
      ResultSelector: { "ran.$": "$.Payload" },
      ResultPath: "$.hasOwnProperty",
      End: true,
    },
  },
} as const;

const expectedOutput = {
  valueOf: "ran valueOf",
  constructor: "ran constructor",
  toString: "ran toString",
  hasOwnProperty: { ran: "ran hasOwnProperty" },
};

describe.each([
  ["from their queues", { STEPWISE_LOCAL_TASKS: "false" }],
  ["run locally after the commit or inline", {}],
])("tasks %s", (_mode, env) => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime(env);
    t.worker({ handlers: Object.fromEntries(BUILT_IN_NAMES.map((name) => [name, () => `ran ${name}`])) });
  });
  afterAll(() => t.close());

  it.each([["STANDARD"], ["EXPRESS"]] as const)("a %s execution runs the handlers registered under those names", async (type) => {
    const arn = await t.createMachine(definition as never, undefined, type);
    const { execution } = await t.run(arn, {}, 8_000);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual(expectedOutput);

    // Every queue is named after a handler name, never after a function's source text.
    const redis = new Redis(t.config.REDIS_URL);
    try {
      const keys: string[] = [];
      let cursor = "0";
      do {
        const [next, found] = await redis.scan(cursor, "MATCH", `${t.config.STEPWISE_QUEUE_PREFIX}:*`, "COUNT", 1000);
        cursor = next;
        keys.push(...found);
      } while (cursor !== "0");
      expect(keys.filter((key) => key.includes("native code") || key.includes("function "))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
