/**
 * The Python workers of docs/task-handlers.md, run as they are printed there against a real API server:
 * the standard-library worker serves a chain of Task states over `/v1/tasks/poll`, and (where boto3 is
 * installed) the boto3 activity worker answers an activity's tasks through GetActivityTask.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateActivityCommand, SFNClient } from "@aws-sdk/client-sfn";
import { getExecution } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./test-api.ts";

const DOC = new URL("../../../../docs/task-handlers.md", import.meta.url);

/** The ```python block under the heading that starts with `heading`. */
function pythonExample(heading: string): string {
  const text = readFileSync(DOC, "utf8");
  const at = text.indexOf(`\n### ${heading}`);
  const match = /```python\n([\s\S]*?)\n```/.exec(text.slice(at));
  if (at < 0 || !match) throw new Error(`docs/task-handlers.md has no python example under '### ${heading}'`);
  return `${match[1]}\n`;
}

/**
 * Where Debian's python3 or python3-boto3 is absent these suites skip with a notice naming the install
 * command, so `npm test` passes on a fresh machine; `.ci/run` installs both and fails on any skip.
 */
const hasPython3 = spawnSync("python3", ["--version"]).status === 0;
const hasBoto3 = hasPython3 && spawnSync("python3", ["-c", "import boto3"]).status === 0;
if (!hasPython3 || !hasBoto3) {
  process.stdout.write(
    `\n[python workers] ${hasPython3 ? "python3 cannot import boto3: the boto3 activity worker test is" : "python3 not found: the Python worker tests are"} skipped (apt-get install -y ${hasPython3 ? "python3-boto3" : "python3 python3-boto3"}; .ci/run does)\n`,
  );
}
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A chain of queued tasks: add-one three times, then charge, whose Payment.Declined is caught. */
const checkout = {
  StartAt: "One",
  States: {
    One: { Type: "Task", Resource: fn("add-one"), Next: "Two" },
    Two: { Type: "Task", Resource: fn("add-one"), Next: "Three" },
    Three: { Type: "Task", Resource: fn("add-one"), ResultPath: "$.count", Next: "Charge" },
    Charge: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "charge", "Payload.$": "$.count" },
      ResultSelector: { "receipt.$": "$.Payload.receipt" },
      ResultPath: "$.payment",
      Catch: [{ ErrorEquals: ["Payment.Declined"], ResultPath: "$.declined", Next: "Declined" }],
      End: true,
    },
    Declined: { Type: "Pass", End: true },
  },
};

/** One more handler in the example, as a user adds theirs: it takes SLOW_SECONDS, and says which worker ran it. */
const SLOW_HANDLER = `
def slow(value, task):
    threading.Event().wait(float(os.environ["SLOW_SECONDS"]))
    return {"by": WORKER_ID}


HANDLERS["slow"] = slow`;
const LOCK_MS = 3000;

describe.skipIf(!hasPython3)("the Python workers of docs/task-handlers.md", () => {
  let api: TestApi;
  let dir: string;
  const children: ChildProcess[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    // A short lease: the worker heartbeats every third of it, so heartbeats run during the test too.
    api = await startTestApi({ runtimeEnv: { STEPWISE_JOB_LOCK_MS: String(LOCK_MS) } });
    dir = mkdtempSync(join(tmpdir(), "stepwise-python-worker-"));
  });
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a docs example with only the variables it documents (no proxy or AWS settings of the host). */
  function runExample(heading: string, env: Record<string, string>, extraHandler = ""): ChildProcess {
    const file = join(dir, `${children.length}.py`);
    const main = 'if __name__ == "__main__":';
    writeFileSync(file, pythonExample(heading).replace(main, `${extraHandler}\n\n${main}`));
    const child = spawn("python3", [file], { env: { PATH: process.env.PATH ?? "", STEPWISE_URL: api.endpoint, ...env } });
    child.stdout?.on("data", (data: Buffer) => output.push(data.toString()));
    child.stderr?.on("data", (data: Buffer) => output.push(data.toString()));
    children.push(child);
    return child;
  }

  async function succeeded(executionArn: string): Promise<unknown> {
    const { execution } = await api.t.waitFor(executionArn, 30_000);
    expect(execution.status, output.join("")).toBe("SUCCEEDED");
    return JSON.parse(execution.output as string);
  }

  it("serves a chain of Task states over /v1/tasks/poll, a handler's failure caught by the machine", async () => {
    expect((await api.call("POST", "/state-machines", { name: "checkout", definition: checkout })).status).toBe(201);
    const worker = runExample("A worker in Python", { WORKER_ID: "python-test" });

    const start = async (input: unknown) =>
      (await api.call("POST", "/state-machines/checkout/executions", { input })).body.executionArn as string;
    const paid = await start({ n: 0, card: "4242" });
    const declined = await start({ n: 10 });

    const receipt = (await succeeded(paid)) as { count: { n: number; card: string }; payment: { receipt: string } };
    expect(receipt.count).toEqual({ n: 3, card: "4242" });
    expect(receipt.payment.receipt).toMatch(/^r-[0-9a-f]{8}$/);
    expect(await succeeded(declined)).toEqual({
      n: 12,
      count: { n: 13 },
      declined: { Error: "Payment.Declined", Cause: "no card" },
    });
    expect(worker.exitCode, output.join("")).toBeNull();
  });

  it("keeps a long task with the worker that heartbeats, and gives it to another worker when that one is killed", async () => {
    expect(
      (
        await api.call("POST", "/state-machines", {
          name: "long",
          definition: { StartAt: "Slow", States: { Slow: { Type: "Task", Resource: fn("slow"), End: true } } },
        })
      ).status,
    ).toBe(201);
    // One thread: another thread of the same process could take the task again once its lease lapsed.
    const stuck = runExample("A worker in Python", { WORKER_ID: "stuck", SLOW_SECONDS: "600", WORKER_THREADS: "1" }, SLOW_HANDLER);
    const started = await api.call("POST", "/state-machines/long/executions", { input: {} });
    const queue = api.t.runtime.queues.taskQueue("slow");
    await expect.poll(() => queue.getActiveCount(), { timeout: 10_000 }).toBe(1);

    const rescuer = runExample("A worker in Python", { WORKER_ID: "rescuer", SLOW_SECONDS: "0" }, SLOW_HANDLER);
    // Twice the lease: the stuck worker's heartbeats keep its task, or the rescuer would have finished it by now.
    await new Promise((resolve) => setTimeout(resolve, 2 * LOCK_MS));
    expect((await getExecution(api.t.runtime.db, started.body.executionArn)).status).toBe("RUNNING");

    stuck.kill("SIGKILL");
    expect(await succeeded(started.body.executionArn)).toEqual({ by: "rescuer" });
    expect(rescuer.exitCode, output.join("")).toBeNull();
  });

  describe.skipIf(!hasBoto3)(
    `the boto3 activity worker (condition: ${hasBoto3 ? "boto3 importable" : "skipped: python3 cannot import boto3"})`,
    () => {
      it("answers an activity's tasks through GetActivityTask and SendTaskSuccess", async () => {
        const sfn = new SFNClient({
          endpoint: api.endpoint,
          region: "us-east-1",
          credentials: { accessKeyId: "test", secretAccessKey: "test" },
        });
        const { activityArn } = await sfn.send(new CreateActivityCommand({ name: "sum-amounts" }));
        const definition = { StartAt: "Sum", States: { Sum: { Type: "Task", Resource: activityArn, End: true } } };
        expect((await api.call("POST", "/state-machines", { name: "sum", definition })).status).toBe(201);
        runExample("An activity worker with boto3", {
          ACTIVITY_ARN: activityArn as string,
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: "us-east-1",
        });

        const started = await api.call("POST", "/state-machines/sum/executions", { input: { amounts: [5, 7, 30] } });
        expect(await succeeded(started.body.executionArn)).toEqual({ total: 42 });
        sfn.destroy();
      });
    },
  );
});
