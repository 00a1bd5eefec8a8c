/**
 * The local runner: drives the interpreter in memory, with Task results from mocks or handlers, so a
 * state machine can be run and tested with no infrastructure. The distributed runtime drives the very
 * same `advance` through queues and a database.
 */
import type { StateMachineDefinition } from "../definition.ts";
import type { HistoryEvent } from "../history-events.ts";
import type { Json } from "../json.ts";
import { advance } from "../interpreter/advance.ts";
import { beginExecution } from "../interpreter/begin-execution.ts";
import { compileMachine } from "../interpreter/compiled-machine.ts";
import type { ExecutionInfo } from "../interpreter/execution-info.ts";
import { ROOT_THREAD_ID, type ThreadOutcome, type ThreadPosition } from "../interpreter/position.ts";
import type { TaskRequest, Trigger } from "../interpreter/protocol.ts";
import { childOutput } from "../interpreter/states/fan-out.ts";
import { type RunnerClock, seededRandom, virtualClock } from "./clock.ts";
import { MockBook, type Mocks } from "./mocks.ts";

export type TaskHandler = (input: Json, task: TaskRequest) => Promise<Json> | Json;

export interface RunOptions {
  input?: Json;
  mocks?: Mocks;
  /** Handlers by Task resource ARN, used where no mock answers the state. */
  handlers?: Record<string, TaskHandler>;
  clock?: RunnerClock;
  random?: () => number;
  execution?: Partial<Omit<ExecutionInfo, "input">>;
  maxPayloadBytes?: number;
  /** AWS's history quota (25,000 events) unless configured otherwise. */
  maxHistoryEvents?: number;
}

const DEFAULT_MAX_HISTORY_EVENTS = 25_000;

export interface RunResult {
  status: "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT";
  output?: Json;
  error?: string | null;
  cause?: string | null;
  events: HistoryEvent[];
}

/** A Task that throws this fails with the given error name and cause, as a Lambda would. */
export class TaskError extends Error {
  constructor(
    readonly error: string,
    readonly causeText: string | null = null,
  ) {
    super(`${error}: ${causeText ?? ""}`);
  }
}

interface Work {
  threadId: string;
  trigger: Trigger;
}

interface Timer {
  fireAt: number;
  seq: number;
  work: Work;
}

export async function runExecution(definition: StateMachineDefinition, options: RunOptions = {}): Promise<RunResult> {
  const machine = compileMachine(definition);
  const maxHistoryEvents = options.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const clock = options.clock ?? virtualClock();
  const random = options.random ?? seededRandom();
  const mocks = new MockBook(options.mocks ?? {});
  const name = options.execution?.executionName ?? "local";
  const execution: ExecutionInfo = {
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:LocalStateMachine:${name}`,
    executionName: name,
    startTime: clock.now().toISOString(),
    roleArn: "arn:aws:iam::123456789012:role/stepwise-local",
    stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:LocalStateMachine",
    stateMachineName: "LocalStateMachine",
    redriveCount: 0,
    ...options.execution,
    input: options.input ?? {},
  };
  const begun = beginExecution(machine, execution, { now: clock.now() });
  const events: HistoryEvent[] = [begun.event];
  const threads = new Map<string, ThreadPosition>([[begun.position.threadId, begun.position]]);
  const children = new Map<string, string[]>();
  const childResults = new Map<string, Json[]>();
  const queue: Work[] = [{ threadId: begun.position.threadId, trigger: { type: "run" } }];
  let timers: Timer[] = [];
  let timerSeq = 0;
  let rootOutcome: ThreadOutcome | undefined;

  const addTimer = (fireAt: Date, work: Work) => {
    timers.push({ fireAt: fireAt.getTime(), seq: timerSeq++, work });
    timers.sort((a, b) => a.fireAt - b.fireAt || a.seq - b.seq);
  };
  if (definition.TimeoutSeconds !== undefined) {
    addTimer(new Date(clock.now().getTime() + definition.TimeoutSeconds * 1000), { threadId: "", trigger: { type: "executionTimedOut" } });
  }

  const cancelDescendants = (threadId: string) => {
    for (const childId of children.get(threadId) ?? []) {
      const child = threads.get(childId);
      if (child && child.phase !== "done") threads.set(childId, { ...child, phase: "done", outcome: { status: "ABORTED", error: null, cause: null } });
      cancelDescendants(childId);
    }
    timers = timers.filter((t) => threads.get(t.work.threadId)?.phase !== "done");
  };

  const runTask = async (task: TaskRequest): Promise<Trigger> => {
    const { taskId } = task;
    const mock = mocks.next(task.stateName);
    if (mock) {
      return "Return" in mock
        ? { type: "taskSucceeded", taskId, output: mock.Return }
        : { type: "taskFailed", taskId, error: mock.Throw.Error, cause: mock.Throw.Cause ?? null };
    }
    const handler = options.handlers?.[task.resource];
    if (!handler) {
      return { type: "taskFailed", taskId, error: "States.TaskFailed", cause: `No mock response and no handler for Task state '${task.stateName}' (resource ${task.resource})` };
    }
    try {
      return { type: "taskSucceeded", taskId, output: await handler(task.input, task) };
    } catch (e) {
      if (e instanceof TaskError) return { type: "taskFailed", taskId, error: e.error, cause: e.causeText };
      return { type: "taskFailed", taskId, error: e instanceof Error ? e.name : "Error", cause: e instanceof Error ? e.message : String(e) };
    }
  };

  while (!rootOutcome) {
    let work = queue.shift();
    if (!work) {
      const timer = timers.shift();
      if (!timer) throw new Error("The execution is stuck: no work and no timer is pending");
      await clock.sleepUntil(new Date(timer.fireAt));
      work = timer.work;
    }
    const position = threads.get(work.threadId);
    if (!position || position.phase === "done") continue;
    const env = { now: clock.now(), random, nextEventId: events.length + 1, maxPayloadBytes: options.maxPayloadBytes, maxHistoryEvents };
    const step = await advance(machine, position, work.trigger, env, execution);
    events.push(...step.events);
    threads.set(work.threadId, step.position);
    // The step was cut off before its next state (a long Pass/Choice loop): carry on from there.
    if (step.position.phase === "enter" || step.position.phase === "begin") queue.push({ threadId: work.threadId, trigger: { type: "run" } });
    for (const effect of step.effects) {
      switch (effect.type) {
        case "runTask":
          queue.push({ threadId: work.threadId, trigger: await runTask(effect.task) });
          break;
        case "startTimer":
          addTimer(new Date(effect.fireAt), { threadId: work.threadId, trigger: { type: "timerFired", timerId: effect.timerId } });
          break;
        case "fanOut":
          children.set(work.threadId, effect.children.map((c) => c.threadId));
          childResults.set(work.threadId, new Array(effect.children.length).fill(null));
          for (const child of effect.children) threads.set(child.threadId, child);
          for (const index of effect.start) queue.push({ threadId: effect.children[index]?.threadId ?? "", trigger: { type: "run" } });
          break;
        case "startChildren":
          for (const index of effect.indices) queue.push({ threadId: children.get(work.threadId)?.[index] ?? "", trigger: { type: "run" } });
          break;
        case "join":
          queue.push({ threadId: work.threadId, trigger: { type: "joined", results: childResults.get(work.threadId) ?? [] } });
          break;
        case "cancelChildren":
          cancelDescendants(work.threadId);
          break;
        case "finished": {
          const parent = step.position.parent;
          if (!parent) {
            rootOutcome = effect.outcome;
            break;
          }
          const results = childResults.get(parent.threadId);
          if (results) results[parent.index] = childOutput(effect.outcome);
          queue.push({ threadId: parent.threadId, trigger: { type: "childFinished", index: parent.index, outcome: effect.outcome, fanOutId: parent.fanOutId } });
          break;
        }
      }
    }
    if (!rootOutcome && events.length >= maxHistoryEvents) {
      // AWS fails an execution whose history reaches the quota; nothing else of it runs.
      queue.length = 0;
      timers = [];
      queue.push({ threadId: ROOT_THREAD_ID, trigger: { type: "fail", error: "States.Runtime", cause: `The execution reached the maximum number of history events (${maxHistoryEvents}).` } });
    }
  }
  return toResult(rootOutcome, events);
}

function toResult(outcome: ThreadOutcome, events: HistoryEvent[]): RunResult {
  if (outcome.status === "SUCCEEDED") return { status: "SUCCEEDED", output: outcome.output, events };
  return { status: outcome.status, error: outcome.error, cause: outcome.cause, events };
}
