/**
 * A distributed Map's items as child workflow executions, as AWS runs them: each item (or batch) is an
 * execution of its own, with its own ARN and history, which the runtime creates and which reports its end
 * back. The item's thread in the parent stays as the parent's record of that child: it begins (creating
 * the execution), waits in `awaitExecution`, and ends with the child's outcome, so counting, tolerated
 * failures, joining, ResultWriter entries and redrives work on it as on any Map child.
 */
import { itemProcessorOf, type MapState, type StateMachineDefinition } from "../../definition.ts";
import { finishThread } from "../outcomes.ts";
import type { ThreadOutcome } from "../position.ts";
import type { ChildExecutionRequest } from "../protocol.ts";
import type { StepContext } from "../step-context.ts";
import { childExecutionName, mapRunIdentity } from "./map-dataset.ts";

/** Whether this child thread's item runs as a child workflow execution rather than in this execution. */
export function runsAsChildExecution(ctx: StepContext): boolean {
  return ctx.position.hidden === true && ctx.env.childExecutions === true;
}

/** The item begins: its child execution is created (or redriven) and the thread waits for its end. */
export function beginChildExecution(ctx: StepContext): void {
  const { position } = ctx;
  const owner = position.scope[position.scope.length - 1];
  const parent = position.parent;
  if (!owner || !parent) throw new Error("A child execution begins from a Map's child thread");
  const mapScope = position.scope.slice(0, -1);
  const state = ctx.machine.state(mapScope, owner.state) as MapState;
  const run = mapRunIdentity(ctx, state, parent.fanOutId, owner.state);
  const name = childExecutionName(parent.fanOutId, parent.index);
  const processor = itemProcessorOf(state);
  const language = ctx.machine.definition.QueryLanguage;
  const definition: StateMachineDefinition = {
    ...(language !== undefined ? { QueryLanguage: language } : {}),
    StartAt: processor.StartAt,
    States: processor.States,
  };
  const redriveCount = position.childRun?.redriveCount ?? 0;
  const express = processor.ProcessorConfig?.ExecutionType === "EXPRESS";
  const request: ChildExecutionRequest = {
    executionArn: `${run.childExecutionPrefix}${name}`,
    name,
    stateMachineArn: run.childStateMachineArn,
    mapRunArn: run.mapRunArn,
    definition,
    input: position.stateInput,
    redriveCount,
    type: express ? "EXPRESS" : "STANDARD",
  };
  const { stopDate: _stopDate, ...kept } = position.childRun ?? {};
  ctx.update({ phase: "awaitExecution", childRun: { ...kept, startDate: ctx.timestamp } });
  ctx.effect({ type: "startChildExecution", request });
}

/** The child execution ended: the item ends with its outcome (a report from before a redrive is stale). */
export function childExecutionEnded(ctx: StepContext, outcome: ThreadOutcome, redriveCount: number, stopDate: string): void {
  const { position } = ctx;
  if (position.phase !== "awaitExecution" || (position.childRun?.redriveCount ?? 0) !== redriveCount) return;
  finishThread(ctx, outcome);
  // The child's own end, rather than when its parent heard of it.
  ctx.update({ childRun: { ...ctx.position.childRun, stopDate } });
}
