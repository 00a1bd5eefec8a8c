/**
 * RedriveExecution, as AWS defines it: a failed, timed-out or aborted execution carries on from where it
 * stopped, with the same input, and what succeeded is not run again.
 *  - A thread enters again the state where it stopped, with that state's input and fresh retry counts.
 *  - A Parallel or Map state that stopped with its children resumes them instead: branches and
 *    iterations that succeeded keep their results, every other one (failed, aborted, never started) is
 *    redriven in the same way from where it stopped, and the state's output keeps their order.
 *  - A distributed Map does the same with its child workflows (a Map Run redrive, `MapRunRedriven`);
 *    Express child workflows start over from the item processor's first state, as AWS starts them anew.
 *  - A state that failed with States.DataLimitExceeded runs again whole, children included, and so does a
 *    distributed Map whose Map Run failed with States.Runtime after its children (AWS starts a new Map Run).
 */
import { isDistributedMap, itemProcessorOf, type MapState } from "../definition.ts";
import { StatesError, StatesErrorName } from "../errors.ts";
import type { HistoryEvent } from "../history-events.ts";
import type { Json } from "../json.ts";
import type { CompiledMachine } from "./compiled-machine.ts";
import type { ExecutionInfo, StepEnvironment } from "./execution-info.ts";
import { type FanOut, ROOT_THREAD_ID, type ThreadPosition } from "./position.ts";
import { toleranceExceeded } from "./states/fan-out.ts";
import { itemInputAgain } from "./states/map.ts";
import { StepContext } from "./step-context.ts";

export interface RedrivePlan {
  /** `ExecutionRedriven`, appended before anything else. */
  event: HistoryEvent;
  /** Threads whose position changes, the root first; the root's next `run` carries the execution on. */
  threads: ThreadPosition[];
  /** Threads that go: what ran under a state that now runs again from its start. */
  discarded: string[];
  /** Fan-outs that carry on: their children's successful results stay, every other result is forgotten. */
  resumed: { threadId: string; fanOutId: string }[];
}

export type RedriveEnvironment = Pick<StepEnvironment, "now" | "random" | "nextEventId">;

/**
 * `threads`: every thread of the execution as it ended. `execution` carries the new redrive count (an
 * Express child workflow's input is evaluated again with it, as AWS starts it anew).
 */
export async function redriveExecution(
  machine: CompiledMachine,
  threads: readonly ThreadPosition[],
  execution: ExecutionInfo,
  env: RedriveEnvironment,
): Promise<RedrivePlan> {
  const root = threads.find((t) => t.threadId === ROOT_THREAD_ID);
  if (!root) throw new Error(`Execution ${execution.executionArn} has no root thread`);
  const event: HistoryEvent = {
    id: env.nextEventId,
    previousEventId: env.nextEventId - 1,
    timestamp: env.now.toISOString(),
    type: "ExecutionRedriven",
    executionRedrivenEventDetails: { redriveCount: execution.redriveCount },
  };
  const planner = new Planner(machine, threads, execution, env, event.id);
  await planner.redrive(root);
  return { event, threads: planner.changed, discarded: planner.discarded, resumed: planner.resumed };
}

class Planner {
  readonly changed: ThreadPosition[] = [];
  readonly discarded: string[] = [];
  readonly resumed: RedrivePlan["resumed"] = [];
  /** Each fan-out's children by index, keyed `thread@fanOutId` (a thread id is reused by later fan-outs). */
  private readonly children = new Map<string, ThreadPosition[]>();

  constructor(
    private readonly machine: CompiledMachine,
    private readonly all: readonly ThreadPosition[],
    private readonly execution: ExecutionInfo,
    private readonly env: RedriveEnvironment,
    private readonly eventId: number,
  ) {
    for (const thread of all) {
      if (!thread.parent) continue;
      const key = `${thread.parent.threadId}@${thread.parent.fanOutId}`;
      let list = this.children.get(key);
      if (!list) {
        list = [];
        this.children.set(key, list);
      }
      list[thread.parent.index] = thread;
    }
  }

  /** A thread that did not succeed carries on from where it stopped. */
  async redrive(thread: ThreadPosition): Promise<void> {
    if (thread.fanOut && (await this.resume(thread, thread.fanOut))) return;
    this.changed.push({ ...this.cleared(thread), phase: "enter" });
    this.discardUnder(thread);
  }

  /** Resumes a Parallel or Map state's children; false when the state must run again whole instead. */
  private async resume(thread: ThreadPosition, fan: FanOut): Promise<boolean> {
    const state = this.machine.state(thread.scope, thread.stateName);
    if (state.Type !== "Map" && state.Type !== "Parallel") return false;
    const error = thread.outcome && thread.outcome.status !== "SUCCEEDED" ? thread.outcome.error : null;
    if (error === StatesErrorName.DataLimitExceeded) return false;
    const distributed = state.Type === "Map" && isDistributedMap(state);
    if (distributed && error === StatesErrorName.Runtime && childrenWereDone(fan)) return false;

    const children = this.children.get(`${thread.threadId}@${fan.id}`) ?? [];
    const rerun: number[] = [];
    for (let index = 0; index < fan.total; index++) {
      const child = children[index];
      // A child that was never stored cannot carry on: the whole state runs again.
      if (!child) return false;
      if (!succeeded(child)) rerun.push(index);
    }
    const startingOver = distributed && itemProcessorOf(state as MapState).ProcessorConfig?.ExecutionType === "EXPRESS";
    const inputs = startingOver ? await this.itemInputs(thread, state as MapState, rerun, children) : new Map<number, Json>();
    if (!inputs) return false;

    const { firstFailure: _firstFailure, failure: _failure, ...kept } = fan;
    this.changed.push({
      ...this.cleared(thread),
      phase: "resume",
      fanOut: {
        ...kept,
        nextIndex: 0,
        running: 0,
        succeeded: fan.total - rerun.length,
        failed: 0,
        rerun,
        redriveCount: (fan.redriveCount ?? 0) + 1,
      },
    });
    this.resumed.push({ threadId: thread.threadId, fanOutId: fan.id });
    for (const index of rerun) {
      const child = counted(children[index] as ThreadPosition);
      const input = inputs.get(index);
      if (child.enteredEventId === 0) {
        // Never entered a state: it starts as it would have, a Map iteration with MapIterationStarted.
        this.changed.push({ ...this.cleared(child), phase: fan.kind === "map" ? "begin" : "enter" });
      } else if (input !== undefined) {
        this.changed.push(this.startedOver(child, thread, state as MapState, input));
        this.discardUnder(child);
      } else {
        await this.redrive(child);
      }
    }
    return true;
  }

  /** Inputs of the Express child workflows that start over; undefined if one cannot be evaluated again. */
  private async itemInputs(
    map: ThreadPosition,
    state: MapState,
    rerun: number[],
    children: ThreadPosition[],
  ): Promise<Map<number, Json> | undefined> {
    const ctx = new StepContext(this.machine, map, this.env, this.execution);
    const inputs = new Map<number, Json>();
    try {
      for (const index of rerun) {
        const child = children[index] as ThreadPosition;
        // A child workflow keeps the input it was given (a batch, an item read from a dataset).
        if (child.enteredEventId !== 0 && child.childRun?.input !== undefined) inputs.set(index, child.childRun.input);
        else if (child.enteredEventId !== 0 && child.mapItem) inputs.set(index, await itemInputAgain(ctx, state, child.mapItem));
      }
    } catch (e) {
      if (e instanceof StatesError) return undefined;
      throw e;
    }
    return inputs;
  }

  private startedOver(child: ThreadPosition, map: ThreadPosition, state: MapState, input: Json): ThreadPosition {
    const { task: _task, timerId: _timerId, outcome: _outcome, fanOut: _fanOut, ...rest } = child;
    return {
      ...rest,
      phase: "begin",
      stateName: itemProcessorOf(state).StartAt,
      stateInput: input,
      enteredEventId: 0,
      enteredTime: this.env.now.toISOString(),
      lastEventId: this.eventId,
      retryCounts: [],
      variables: map.variables,
    };
  }

  /** The thread without what belonged to its last attempt at its state. */
  private cleared(thread: ThreadPosition): ThreadPosition {
    const { task: _task, timerId: _timerId, outcome: _outcome, fanOut: _fanOut, ...rest } = thread;
    return { ...rest, retryCounts: [], lastEventId: this.eventId };
  }

  private discardUnder(thread: ThreadPosition): void {
    const prefix = thread.threadId === ROOT_THREAD_ID ? "" : `${thread.threadId}/`;
    for (const other of this.all) {
      if (other.threadId !== thread.threadId && other.threadId !== ROOT_THREAD_ID && other.threadId.startsWith(prefix)) {
        this.discarded.push(other.threadId);
      }
    }
  }
}

/** A child workflow that had run counts the redrive that runs it again (its ResultWriter entry's RedriveCount). */
function counted(child: ThreadPosition): ThreadPosition {
  if (!child.childRun?.startDate) return child;
  return { ...child, childRun: { ...child.childRun, redriveCount: (child.childRun.redriveCount ?? 0) + 1 } };
}

function succeeded(thread: ThreadPosition): boolean {
  return thread.phase === "done" && thread.outcome?.status === "SUCCEEDED";
}

/** Every child had ended within the tolerated failures: the state failed after them, not because of them. */
function childrenWereDone(fan: FanOut): boolean {
  return fan.succeeded + fan.failed === fan.total && (fan.failed === 0 || !toleranceExceeded(fan));
}
