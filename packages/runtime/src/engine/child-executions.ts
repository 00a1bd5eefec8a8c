/**
 * A distributed Map's child workflow executions in the runtime (the ASL core decides when: see its
 * states/map-children.ts). The parent's transition creates them in bulk with its own writes, so an item
 * costs its parent no transaction to start; each runs on any worker under its own lock; its end reaches
 * the parent as a job (`childExecutionEnded` on the item's thread), and the group commit applies the ends
 * that arrive together under one lock of the parent. Exactly-once: a child is created by the transaction
 * that moves its item's thread to `awaitExecution` (its ARN is the primary key); its end applies only
 * while that thread waits for it, with the same redrive count.
 */
import { randomBytes } from "node:crypto";
import {
  beginExecution,
  type ChildExecutionRequest,
  type CompiledMachine,
  isDistributedMap,
  itemProcessorOf,
  type State,
  type StatesBlock,
  type ThreadOutcome,
} from "@stepwise/asl";
import { getExecution, runningChildExecutions, type Transaction } from "@stepwise/storage";
import { formatExecutionTrace } from "@stepwise/tracing";
import { jobId, type OutboxJob } from "../queues.ts";
import { childExecutionTrace } from "../tracing/execution-spans.ts";
import type { EffectContext } from "./effects.ts";
import { ExecutionNotRedrivable } from "./engine-errors.ts";
import type { LoadedExecution } from "./execution-cache.ts";
import { redriveWithin } from "./redrive.ts";

/** The item's thread `threadId` began: its child execution is created, or redriven (a redriven parent). */
export async function startChildExecution(ctx: EffectContext, threadId: string, request: ChildExecutionRequest, now: Date): Promise<void> {
  if (request.redriveCount > 0) return redriveChild(ctx, threadId, request);
  const { loaded } = ctx;
  const definition = JSON.stringify(request.definition);
  const info = {
    executionArn: request.executionArn,
    executionName: request.name,
    startTime: now.toISOString(),
    roleArn: loaded.info.roleArn,
    stateMachineArn: request.stateMachineArn,
    stateMachineName: request.stateMachineArn.split(":").pop() ?? "",
    input: request.input,
    redriveCount: 0,
  };
  const begun = beginExecution(ctx.compiled(definition), info, { now });
  // A traced parent's children are in its trace, under the transition that started them.
  const { tracing } = ctx;
  const span = ctx.result.span;
  const trace = tracing && span && loaded.trace ? childExecutionTrace(tracing, loaded.trace, span) : undefined;
  ctx.writes.holdChildExecution({
    arn: request.executionArn,
    stateMachineArn: request.stateMachineArn,
    name: request.name,
    input: JSON.stringify(request.input),
    definition,
    roleArn: loaded.info.roleArn,
    startDate: now,
    ...(trace ? { traceContext: formatExecutionTrace(trace) } : {}),
    events: [begun.event],
    rootThread: { position: begun.position as never, status: "RUNNING" },
    idSeed: randomBytes(16).toString("hex"),
    mapRunArn: request.mapRunArn,
    parentExecutionArn: loaded.info.executionArn,
    parentThreadId: threadId,
  });
  ctx.result.outbox.push({
    kind: "transition",
    jobId: jobId(request.executionArn, "", "start"),
    data: { executionArn: request.executionArn, threadId: "", trigger: { type: "run" } },
  });
}

/**
 * A redriven parent runs a child that did not succeed again: as AWS does, the child execution is redriven
 * (same ARN, its redrive count up by one). One that cannot be (it is still running, its history is full)
 * reports the end it had, so the item fails again rather than waiting for ever.
 */
async function redriveChild(ctx: EffectContext, threadId: string, request: ChildExecutionRequest): Promise<void> {
  ctx.writes.flush(ctx.tx);
  try {
    const redriven = await redriveWithin(ctx.tx, ctx.settings, request.executionArn, {});
    ctx.result.outbox.push(...redriven.jobs);
  } catch (error) {
    if (!(error instanceof ExecutionNotRedrivable)) throw error;
    const child = await getExecution(ctx.tx, request.executionArn);
    const outcome: ThreadOutcome =
      child.status === "SUCCEEDED"
        ? { status: "SUCCEEDED", output: JSON.parse(child.output ?? "null") }
        : { status: "FAILED", error: child.error ?? "States.Runtime", cause: child.cause ?? error.message };
    ctx.work.push({
      threadId,
      trigger: { type: "childExecutionEnded", outcome, redriveCount: request.redriveCount, stopDate: ctx.settings.now().toISOString() },
    });
  }
}

/** A child execution ended: the job that tells its parent's item thread. */
export function parentNotice(loaded: LoadedExecution, outcome: ThreadOutcome, stopDate: Date): OutboxJob | undefined {
  const parent = loaded.mapParent;
  if (!parent) return undefined;
  const redriveCount = loaded.info.redriveCount;
  return {
    kind: "transition",
    jobId: jobId(parent.executionArn, parent.threadId, "ended", String(redriveCount)),
    local: true,
    data: {
      executionArn: parent.executionArn,
      threadId: parent.threadId,
      trigger: { type: "childExecutionEnded", outcome, redriveCount, stopDate: stopDate.toISOString() },
    },
  };
}

/**
 * Stops the running child executions of the threads under `threadPrefix` ("" for the whole execution): a
 * parent that ended, or a Map Run given up on. Read only where the definition has a distributed Map.
 */
export async function stopChildExecutions(tx: Transaction, loaded: LoadedExecution, threadPrefix: string): Promise<OutboxJob[]> {
  if (!startsChildExecutions(loaded.machine)) return [];
  const running = await runningChildExecutions(tx, loaded.info.executionArn, threadPrefix);
  return running.map((arn) => ({
    kind: "transition" as const,
    jobId: jobId(arn, "", "parent-stopped"),
    data: { executionArn: arn, threadId: "", trigger: { type: "abort" as const, error: null, cause: null } },
  }));
}

const startsChildren = new WeakMap<CompiledMachine, boolean>();

/** Whether a definition has a distributed Map anywhere (only those executions have child executions). */
export function startsChildExecutions(machine: CompiledMachine): boolean {
  let known = startsChildren.get(machine);
  if (known === undefined) {
    known = blockHasDistributedMap(machine.definition);
    startsChildren.set(machine, known);
  }
  return known;
}

function blockHasDistributedMap(block: StatesBlock): boolean {
  return Object.values(block.States).some((state: State) => {
    if (state.Type === "Parallel") return state.Branches.some(blockHasDistributedMap);
    if (state.Type !== "Map") return false;
    return isDistributedMap(state) || blockHasDistributedMap(itemProcessorOf(state));
  });
}
