/**
 * Issue 15's finding 8 through the live API: a user names a function, a state, a machine, an execution,
 * an activity or a tag after a JavaScript built-in (`__proto__`, `constructor`, `hasOwnProperty`,
 * `toString`, `valueOf`, `__defineGetter__`), and the operator maps such names in STEPWISE_RESOURCE_MAP.
 * Each must be the plain name it is: the handler registered under it runs, the state under it is entered,
 * the tag under it is kept, and nothing finds Object.prototype's members instead.
 */
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListTagsForResourceCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TagResourceCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveApi, startLiveApi } from "../live-api.ts";

const KEY = { id: "AKIDBUILTINS", secret: "built-ins-secret/K7MDENG+bPxRfiCY" };
const ROLE_ARN = "arn:aws:iam::123456789012:role/built-ins";
const BUILT_INS = ["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf", "__defineGetter__"] as const;
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** Handlers registered under built-in names; each answers with its own name. */
const handlers = Object.fromEntries(BUILT_INS.map((name) => [name, () => `ran ${name}`]));
// The operator maps two more built-in names onto handlers of their own.
handlers["mapped-proto"] = () => "ran mapped-proto";
handlers["mapped-is-prototype-of"] = () => "ran mapped-is-prototype-of";
const RESOURCE_MAP = '{"__proto__":"__proto__","isPrototypeOf":"mapped-is-prototype-of","__lookupGetter__":"mapped-proto"}';

/** One Task state per built-in name, each state named after the function it calls. */
const definition = {
  StartAt: BUILT_INS[0],
  States: Object.fromEntries([
    ...BUILT_INS.map((name, i) => [
      name,
      {
        Type: "Task",
        Resource: fn(name),
        ResultPath: `$.${name}`,
        Next: BUILT_INS[i + 1] ?? "isPrototypeOf",
      },
    ]),
    ["isPrototypeOf", { Type: "Task", Resource: fn("isPrototypeOf"), ResultPath: "$.isPrototypeOf", Next: "__lookupGetter__" }],
    [
      "__lookupGetter__",
      {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "__lookupGetter__", Payload: {} },
        ResultSelector: { "ran.$": "$.Payload" },
        ResultPath: "$.__lookupGetter__",
        End: true,
      },
    ],
  ]),
};

let api: LiveApi;
let sfn: SFNClient;
beforeAll(async () => {
  api = await startLiveApi({
    apiEnv: { STEPWISE_ACCESS_KEYS: `${KEY.id}:${KEY.secret}` },
    runtimeEnv: { STEPWISE_RESOURCE_MAP: RESOURCE_MAP },
    prepare: (t) => {
      t.worker({ handlers });
      t.scheduler();
    },
  });
  sfn = new SFNClient({
    endpoint: api.endpoint,
    region: api.region,
    credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
    maxAttempts: 1,
  });
}, 15_000);
afterAll(async () => {
  sfn.destroy();
  await api.close();
});

describe("names that are JavaScript built-ins, through the live API", () => {
  it("a machine named constructor runs the handlers and enters the states named after built-ins", async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: "constructor", definition: JSON.stringify(definition), roleArn: ROLE_ARN }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "__proto__", input: "{}" }));
    expect(executionArn).toMatch(/:execution:constructor:__proto__$/);
    const { execution } = await api.t.waitFor(executionArn as string, 10_000);
    expect(execution.status, execution.cause ?? "").toBe("SUCCEEDED");
    const output = JSON.parse(execution.output as string);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.keys(output).sort()).toEqual([...BUILT_INS, "isPrototypeOf", "__lookupGetter__"].sort());
    for (const name of BUILT_INS) expect(output[name]).toBe(`ran ${name}`);
    expect(output.isPrototypeOf).toBe("ran mapped-is-prototype-of");
    expect(output.__lookupGetter__).toEqual({ ran: "ran mapped-proto" });

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.name).toBe("__proto__");
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const entered = events.flatMap((e) => (e.type === "TaskStateEntered" ? [e.stateEnteredEventDetails?.name] : []));
    expect(entered).toEqual([...BUILT_INS, "isPrototypeOf", "__lookupGetter__"]);
  });

  it("keeps tags whose keys are built-in names", async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: "hasOwnProperty",
        definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }),
        roleArn: ROLE_ARN,
        tags: [{ key: "__proto__", value: "created" }],
      }),
    );
    await sfn.send(
      new TagResourceCommand({
        resourceArn: stateMachineArn,
        tags: BUILT_INS.filter((name) => name !== "__proto__").map((key) => ({ key, value: `tag ${key}` })),
      }),
    );
    const { tags = [] } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }));
    const byKey = Object.fromEntries(tags.map((tag) => [tag.key, tag.value]));
    expect(Object.keys(byKey).sort()).toEqual([...BUILT_INS].sort());
    expect(tags.find((tag) => tag.key === "__proto__")?.value).toBe("created");
    expect(tags.find((tag) => tag.key === "constructor")?.value).toBe("tag constructor");
  });

  it.each(["__proto__", "constructor", "valueOf"])("an activity named %s hands its task to its own worker", async (name) => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name }));
    expect(activityArn).toMatch(new RegExp(`:activity:${name}$`));
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: `activity-${name}`,
        definition: JSON.stringify({ StartAt: name, States: { [name]: { Type: "Task", Resource: activityArn, End: true } } }),
        roleArn: ROLE_ARN,
      }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ for: name }) }));
    const task = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: name }));
    expect(task.taskToken).toBeTruthy();
    expect(JSON.parse(task.input as string)).toEqual({ for: name });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify({ done: name }) }));
    const { execution } = await api.t.waitFor(executionArn as string, 8_000);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ done: name });
  });
});
