/**
 * The chaos test's client, a process of its own as an API server would be (the faults may crash it, and
 * the test must not share its fate): it starts the planned executions at their moments and answers the
 * callback tokens workers hand on with SendTaskSuccess or SendTaskFailure, after a random delay. Both
 * retry through outages; starting by name is idempotent, and a restarted client skips what it recorded.
 */
import { readFileSync } from "node:fs";
import { createRuntime, exitOnSignals, loadRuntimeConfig } from "@stepwise/runtime";
import { appendAnswered, readAnswered, readCallbacks } from "./callback-log.ts";
import { chaosFiles } from "./chaos-files.ts";
import { appendStarted, type ExecutionPlan, readStarted } from "./execution-plan.ts";
import { callbackAnswer } from "./workload.ts";

const files = chaosFiles();
const plan = JSON.parse(readFileSync(files.plan, "utf8")) as ExecutionPlan;
const runtime = await createRuntime(loadRuntimeConfig(), { name: `chaos-client-${process.pid}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let stopping = false;

/** Retries `fn` until it succeeds or throws an error named in `final` (the call's answer, not an outage). */
async function persist(fn: () => Promise<unknown>, final: readonly string[]): Promise<void> {
  while (!stopping) {
    try {
      await fn();
      return;
    } catch (err) {
      if (final.includes((err as Error).name)) return;
      runtime.logger.debug({ err }, "chaos client retrying");
      await sleep(250);
    }
  }
}

async function startAll(): Promise<void> {
  const started = readStarted(files.started);
  await Promise.all(
    plan.executions
      .filter((e) => !started.has(e.name))
      .map(async (e) => {
        await sleep(plan.opened + e.at - Date.now());
        // Already exists (and closed): started by this client before it was killed, just not recorded.
        await persist(
          () => runtime.engine.start({ stateMachineArn: e.stateMachineArn, name: e.name, input: JSON.stringify(e.input) }),
          ["ExecutionAlreadyExists"],
        );
        if (!stopping) appendStarted(files.started, e.name);
      }),
  );
}

async function answerCallbacks(): Promise<void> {
  const answered = readAnswered(files.answered);
  const pending = new Set<string>();
  while (!stopping) {
    for (const [token, verdict] of readCallbacks(files.callbacks)) {
      if (answered.has(token) || pending.has(token)) continue;
      pending.add(token);
      void (async () => {
        await sleep(Math.random() * 1500);
        // TaskTimedOut: the token was answered already (by this client before a restart, or a lost reply).
        await persist(() => runtime.engine.completeTask(token, callbackAnswer(verdict)), ["TaskTimedOut"]);
        if (stopping) return;
        answered.add(token);
        appendAnswered(files.answered, token);
      })();
    }
    await sleep(200);
  }
}

exitOnSignals(runtime.logger, async () => {
  stopping = true;
  await runtime.close();
});
process.send?.("ready");
void startAll();
void answerCallbacks();
