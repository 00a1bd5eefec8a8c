import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../../../../apps/api/src/rest/test-api.ts";
import { main } from "../../main.ts";

const dir = mkdtempSync(join(tmpdir(), "stepwise-remote-test-"));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

const greet = {
  StartAt: "Greet",
  States: { Greet: { Type: "Pass", Parameters: { "greeting.$": "States.Format('hello {}', $.who)" }, End: true } },
};
const slow = {
  StartAt: "A",
  States: { A: { Type: "Pass", Next: "W" }, W: { Type: "Wait", Seconds: 1, Next: "B" }, B: { Type: "Pass", End: true } },
};
const waitLong = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } };
const failing = { StartAt: "F", States: { F: { Type: "Fail", Error: "Broken", Cause: "on purpose" } } };

describe("stepwise remote commands against a live server", () => {
  let api: TestApi;
  let remote: string[];

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([...argv, ...remote], { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out, err, json: () => JSON.parse(out.join("\n")) };
  }

  beforeAll(async () => {
    api = await startTestApi({ apiEnv: { STEPWISE_AUTH: "on", STEPWISE_API_TOKENS: "cli-token" } });
    remote = ["--endpoint", api.endpoint, "--token", "cli-token"];
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("create, list and update a state machine", async () => {
    const created = await cli("create", "greeter", file("greet.json", greet));
    expect(created).toMatchObject({ code: 0, err: [] });
    expect(created.json()).toMatchObject({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:greeter" });

    await cli("create", "slow", file("slow.json", slow));
    const listed = await cli("list");
    expect(listed.code).toBe(0);
    expect(listed.out.map((line) => JSON.parse(line).name)).toEqual(expect.arrayContaining(["greeter", "slow"]));

    const changed = { ...greet, Comment: "v2" };
    const updated = await cli("update", "greeter", file("greet-v2.json", changed));
    expect(updated.code).toBe(0);
    expect(updated.json()).toMatchObject({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:greeter" });
    expect((await api.call("GET", "/state-machines/greeter", undefined, { authorization: "Bearer cli-token" })).body.definition).toEqual(
      changed,
    );
  });

  it("create reports an invalid definition's diagnostics and exits 2", async () => {
    const res = await cli("create", "bad", file("bad.json", { StartAt: "P", States: { P: { Type: "Pass", Next: "Nowhere" } } }));
    expect(res.code).toBe(2);
    expect(res.out).toEqual([]);
    expect(res.err.at(-1)).toMatch(/^InvalidDefinition: Invalid State Machine Definition: '/);
    expect(JSON.parse(res.err[0] as string)).toMatchObject({ severity: "ERROR", code: "MISSING_TRANSITION_TARGET" });
  });

  it("start --wait prints the result like run and exits 0 on success", async () => {
    const res = await cli("start", "greeter", "--input", '{"who":"world"}', "--name", "hello-1", "--wait");
    expect(res).toMatchObject({ code: 0, err: [] });
    expect(res.json()).toEqual({ status: "SUCCEEDED", output: { greeting: "hello world" }, error: null, cause: null });
  });

  it("start --wait exits 1 when the execution fails", async () => {
    await cli("create", "failing", file("fail.json", failing));
    const res = await cli("start", "failing", "--wait");
    expect(res.code).toBe(1);
    expect(res.json()).toEqual({ status: "FAILED", output: null, error: "Broken", cause: "on purpose" });
  });

  it("start without --wait prints the execution ARN; describe and history read it back", async () => {
    const started = await cli("start", "greeter", "--input-file", file("input.json", { who: "file" }), "--name", "from-file");
    expect(started.code).toBe(0);
    const { executionArn } = started.json();
    expect(executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:greeter:from-file");
    await api.t.waitFor(executionArn);

    const described = await cli("describe", executionArn);
    expect(described.code).toBe(0);
    expect(described.json()).toMatchObject({
      executionArn,
      status: "SUCCEEDED",
      input: { who: "file" },
      output: { greeting: "hello file" },
    });

    const history = await cli("history", executionArn);
    expect(history.code).toBe(0);
    expect(history.out.map((line) => JSON.parse(line).type)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
    const reversed = await cli("history", executionArn, "--reverse");
    expect(reversed.out.map((line) => JSON.parse(line).id)).toEqual([4, 3, 2, 1]);
  });

  it("tail prints the events of a running execution live until it ends", async () => {
    const started = await cli("start", "slow");
    const { executionArn } = started.json();
    const tailed = await cli("tail", executionArn);
    expect(tailed.code).toBe(0);
    const events = tailed.out.map((line) => JSON.parse(line));
    expect(events.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "WaitStateEntered",
      "WaitStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("stop aborts a running execution; stopping it again is a named error", async () => {
    await cli("create", "wait-long", file("wait-long.json", waitLong));
    const { executionArn } = (await cli("start", "wait-long")).json();
    const stopped = await cli("stop", executionArn, "--error", "Ops.Stop", "--cause", "by hand");
    expect(stopped.code).toBe(0);
    expect(stopped.json()).toMatchObject({ executionArn, status: "ABORTED" });
    expect((await cli("describe", executionArn)).json()).toMatchObject({ status: "ABORTED", error: "Ops.Stop", cause: "by hand" });

    const again = await cli("stop", executionArn);
    expect(again.code).toBe(2);
    expect(again.err).toEqual([`ExecutionNotRunning: Execution is not running: '${executionArn}' (status ABORTED)`]);
  });

  it("reports server errors as NAME: message with exit 2", async () => {
    const unknown = "arn:aws:states:us-east-1:123456789012:execution:greeter:nope";
    for (const command of ["describe", "history", "tail", "stop"]) {
      const res = await cli(command, unknown);
      expect(res.code, command).toBe(2);
      expect(res.err, command).toEqual([`ExecutionDoesNotExist: Execution Does Not Exist: '${unknown}'`]);
    }
    const missingMachine = await cli("start", "no-such-machine");
    expect(missingMachine.err).toEqual([
      "StateMachineDoesNotExist: State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:no-such-machine'",
    ]);
    const badInput = await cli("start", "greeter", "--input", "{nope");
    expect(badInput.code).toBe(2);
    expect(badInput.err[0]).toMatch(/^InvalidExecutionInput: /);
  });

  it("refuses a wrong token with the server's error", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["list", "--endpoint", api.endpoint, "--token", "wrong"], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err).toEqual(["UnrecognizedClientException: The bearer token is not valid."]);
  });

  it("reads the endpoint and token from STEPWISE_ENDPOINT and STEPWISE_TOKEN", async () => {
    const saved = { endpoint: process.env.STEPWISE_ENDPOINT, token: process.env.STEPWISE_TOKEN };
    process.env.STEPWISE_ENDPOINT = api.endpoint;
    process.env.STEPWISE_TOKEN = "cli-token";
    try {
      const out: string[] = [];
      const code = await main(["list"], { out: (l) => out.push(l), err: () => {} });
      expect(code).toBe(0);
      expect(out.length).toBeGreaterThan(0);
    } finally {
      for (const [key, value] of [
        ["STEPWISE_ENDPOINT", saved.endpoint],
        ["STEPWISE_TOKEN", saved.token],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe("stepwise remote commands without a server", () => {
  async function cli(...argv: string[]) {
    const err: string[] = [];
    const code = await main(argv, { out: () => {}, err: (line) => err.push(line) });
    return { code, err };
  }

  it("reports an unreachable endpoint as a named error", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const res = await cli("list", "--endpoint", `http://127.0.0.1:${port}`);
    expect(res.code).toBe(2);
    expect(res.err).toEqual([`EndpointUnreachable: cannot reach http://127.0.0.1:${port}/v1: ECONNREFUSED`]);
  });

  it("refuses bad arguments before calling anything", async () => {
    expect((await cli("start")).err[0]).toMatch(/^InvalidArguments: usage: stepwise start NAME/);
    expect((await cli("describe", "a", "b")).err[0]).toMatch(/^InvalidArguments: usage: stepwise describe/);
    expect((await cli("list", "--endpoint", "ftp://x")).err).toEqual([
      "InvalidArguments: --endpoint must be an http(s) URL, got 'ftp://x'",
    ]);
    expect((await cli("start", "m", "--input", "{}", "--input-file", "f")).err).toEqual([
      "InvalidArguments: give --input or --input-file, not both",
    ]);
    expect((await cli("tail", "arn", "--bogus")).err[0]).toMatch(/^InvalidArguments: Unknown option '--bogus'/);
    expect((await cli("create", "m", join(dir, "missing.json"))).err[0]).toMatch(/^FileNotReadable: /);
  });
});
