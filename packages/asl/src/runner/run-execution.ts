/**
 * The local runner: drives the interpreter in memory, with Task results from mocks or handlers, so a
 * state machine can be run and tested with no infrastructure. The distributed runtime drives the very
 * same `advance` through queues and a database.
 */
import type { StateMachineDefinition } from "../definition.ts";
import type { HistoryEvent } from "../history-events.ts";
import { advance } from "../interpreter/advance.ts";
import { beginExecution } from "../interpreter/begin-execution.ts";
import { type CompiledMachine, compileMachine } from "../interpreter/compiled-machine.ts";
import type { ExecutionInfo } from "../interpreter/execution-info.ts";
import { ROOT_THREAD_ID, type ThreadOutcome, type ThreadPosition } from "../interpreter/position.ts";
import type { Effect, TaskRequest, Trigger } from "../interpreter/protocol.ts";
import { childOutput } from "../interpreter/states/fan-out.ts";
import { type MapRunIdentity, resultWriterEntry } from "../interpreter/states/map-dataset.ts";
import { describeResource } from "../interpreter/states/task-resource.ts";
import { uuidFrom } from "../interpreter/uuid.ts";
import type { Json } from "../json.ts";
import type { DatasetStore } from "../map-datasets.ts";
import { ownValue } from "../own-property.ts";
import { type RunnerClock, seededRandom, virtualClock } from "./clock.ts";
import { type DatasetOutcome, LocalDatasets, type ResultWrite } from "./local-datasets.ts";
import { MockBook, type Mocks } from "./mocks.ts";

export type TaskHandler = (input: Json, task: TaskRequest) => Promise<Json> | Json;

export interface RunOptions {
  input?: Json;
  mocks?: Mocks;
  /** Handlers by Task resource ARN (own properties only), used where no mock answers the state. */
  handlers?: Record<string, TaskHandler>;
  /** Or the handler for any resource, chosen by the caller (a worker resolving resources its own way). */
  handlerFor?: (resource: string) => TaskHandler | undefined;
  clock?: RunnerClock;
  random?: () => number;
  execution?: Partial<Omit<ExecutionInfo, "input">>;
  maxPayloadBytes?: number;
  /** How long one expression evaluation may run (500 ms unless configured otherwise). */
  expressionTimeoutMs?: number;
  /** AWS's history quota (25,000 events) unless configured otherwise. */
  maxHistoryEvents?: number;
  /**
   * Where distributed Maps read and write datasets when the mocks give none (e.g. an S3 store).
   * Without one, ResultWriter exports are only kept in the result's `resultWrites`.
   */
  datasets?: DatasetStore;
  /** The workflow type to run as: it shapes the execution ARN (`$$.Execution.Id`). STANDARD by default. */
  type?: WorkflowType;
}

export type WorkflowType = "STANDARD" | "EXPRESS";

const LOCAL_REGION_ACCOUNT = "us-east-1:123456789012";
const LOCAL_MACHINE = "LocalStateMachine";

/**
 * AWS's execution ARN shapes: a Standard execution's ends with its name; an Express execution's is an
 * `express:` ARN that adds an id after the name, since Express names need not be unique.
 */
function localExecutionArn(type: WorkflowType, name: string, random: () => number): string {
  if (type === "EXPRESS") return `arn:aws:states:${LOCAL_REGION_ACCOUNT}:express:${LOCAL_MACHINE}:${name}:${uuidFrom(random)}`;
  return `arn:aws:states:${LOCAL_REGION_ACCOUNT}:execution:${LOCAL_MACHINE}:${name}`;
}

const DEFAULT_MAX_HISTORY_EVENTS = 25_000;

export interface RunResult {
  status: "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT";
  output?: Json;
  error?: string | null;
  cause?: string | null;
  events: HistoryEvent[];
  /** Every ResultWriter export the run made, in order. */
  resultWrites: ResultWrite[];
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
  return new LocalRun(definition, options).run();
}

/**
 * One execution in memory: its threads, the work queued for them and the pending timers. A class
 * rather than closures in `runExecution`: they were made anew for every run, a visible share of a short one.
 */
class LocalRun {
  private readonly machine: CompiledMachine;
  private readonly maxHistoryEvents: number;
  private readonly clock: RunnerClock;
  private readonly random: () => number;
  private readonly mocks: MockBook;
  private readonly datasets: LocalDatasets;
  private readonly execution: ExecutionInfo;
  private readonly events: HistoryEvent[];
  private readonly threads = new Map<string, ThreadPosition>();
  private readonly children = new Map<string, string[]>();
  private readonly childResults = new Map<string, Json[]>();
  private readonly queue: Work[] = [];
  private timers: Timer[] = [];
  private timerSeq = 0;
  private rootOutcome: ThreadOutcome | undefined;
  /** The JSON text of the first step's input, which ExecutionStarted already holds. */
  private inputText: string | undefined;

  constructor(
    private readonly definition: StateMachineDefinition,
    private readonly options: RunOptions,
  ) {
    this.machine = compileMachine(definition);
    this.maxHistoryEvents = options.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
    this.clock = options.clock ?? virtualClock();
    this.random = options.random ?? seededRandom();
    this.mocks = new MockBook(options.mocks ?? {});
    this.datasets = new LocalDatasets(this.mocks, options.datasets);
    const name = options.execution?.executionName ?? "local";
    this.execution = {
      executionArn: localExecutionArn(options.type ?? "STANDARD", name, this.random),
      executionName: name,
      startTime: this.clock.now().toISOString(),
      roleArn: "arn:aws:iam::123456789012:role/stepwise-local",
      stateMachineArn: `arn:aws:states:${LOCAL_REGION_ACCOUNT}:stateMachine:${LOCAL_MACHINE}`,
      stateMachineName: LOCAL_MACHINE,
      redriveCount: 0,
      ...options.execution,
      input: options.input ?? {},
    };
    const begun = beginExecution(this.machine, this.execution, { now: this.clock.now() });
    this.events = [begun.event];
    this.inputText = begun.event.executionStartedEventDetails?.input;
    this.threads.set(begun.position.threadId, begun.position);
    this.queue.push({ threadId: begun.position.threadId, trigger: { type: "run" } });
  }

  async run(): Promise<RunResult> {
    if (this.definition.TimeoutSeconds !== undefined) {
      this.addTimer(new Date(this.clock.now().getTime() + this.definition.TimeoutSeconds * 1000), {
        threadId: "",
        trigger: { type: "executionTimedOut" },
      });
    }
    while (!this.rootOutcome) {
      let work = this.queue.shift();
      if (!work) {
        const timer = this.timers.shift();
        if (!timer) throw new Error("The execution is stuck: no work and no timer is pending");
        await this.clock.sleepUntil(new Date(timer.fireAt));
        work = timer.work;
      }
      await this.step(work);
    }
    return toResult(this.rootOutcome, this.events, this.datasets.writes);
  }

  private async step(work: Work): Promise<void> {
    const position = this.threads.get(work.threadId);
    if (!position || position.phase === "done") return;
    const { options, maxHistoryEvents } = this;
    const env = {
      now: this.clock.now(),
      random: this.random,
      nextEventId: this.events.length + 1,
      maxPayloadBytes: options.maxPayloadBytes,
      expressionTimeoutMs: options.expressionTimeoutMs,
      maxHistoryEvents,
      stateInputText: this.inputText,
    };
    this.inputText = undefined;
    const step = await advance(this.machine, position, work.trigger, env, this.execution);
    this.events.push(...step.events);
    this.threads.set(work.threadId, step.position);
    // The step was cut off before its next state (a long Pass/Choice loop): carry on from there.
    if (step.position.phase === "enter" || step.position.phase === "begin")
      this.queue.push({ threadId: work.threadId, trigger: { type: "run" } });
    for (const effect of step.effects) {
      if (effect.type === "runTask") {
        const task = effect.task;
        // A callback or job task is submitted first; the mock or handler answers for its completion.
        if (submits(task)) this.queue.push({ threadId: work.threadId, trigger: { type: "taskSubmitted", taskId: task.taskId } });
        this.queue.push({ threadId: work.threadId, trigger: await this.runTask(task) });
      } else if (effect.type === "readItems") {
        const outcome = await this.datasets.read(step.position.stateName, effect.request);
        this.queue.push({ threadId: work.threadId, trigger: datasetTrigger(effect.taskId, outcome) });
      } else if (effect.type === "writeResults") {
        const entries = this.entries(work.threadId, effect.run);
        const outcome = await this.datasets.write(step.position.stateName, effect.request, entries);
        this.queue.push({ threadId: work.threadId, trigger: datasetTrigger(effect.taskId, outcome) });
      } else this.carryOut(effect, work.threadId, step.position);
    }
    if (!this.rootOutcome && this.events.length >= maxHistoryEvents) {
      // AWS fails an execution whose history reaches the quota; nothing else of it runs.
      this.queue.length = 0;
      this.timers = [];
      const cause = `The execution reached the maximum number of history events (${maxHistoryEvents}).`;
      this.queue.push({ threadId: ROOT_THREAD_ID, trigger: { type: "fail", error: "States.Runtime", cause } });
    }
  }

  /** Every effect but those to wait for (a task, a dataset's read or write). */
  private carryOut(
    effect: Exclude<Effect, { type: "runTask" | "readItems" | "writeResults" }>,
    threadId: string,
    position: ThreadPosition,
  ): void {
    const { queue } = this;
    switch (effect.type) {
      case "startTimer":
        this.addTimer(new Date(effect.fireAt), { threadId, trigger: { type: "timerFired", timerId: effect.timerId } });
        break;
      case "fanOut":
        this.children.set(
          threadId,
          effect.children.map((c) => c.threadId),
        );
        this.childResults.set(threadId, new Array(effect.children.length).fill(null));
        for (const child of effect.children) this.threads.set(child.threadId, child);
        for (const index of effect.start) queue.push({ threadId: effect.children[index]?.threadId ?? "", trigger: { type: "run" } });
        break;
      case "startChildren":
        for (const index of effect.indices) queue.push({ threadId: this.children.get(threadId)?.[index] ?? "", trigger: { type: "run" } });
        break;
      case "join": {
        const results = this.childResults.get(threadId) ?? [];
        const entries = effect.entries ? { entries: this.entries(threadId, effect.entries) } : {};
        queue.push({ threadId, trigger: { type: "joined", results, ...entries } });
        break;
      }
      case "cancelChildren":
        this.cancelDescendants(threadId);
        break;
      case "finished": {
        const parent = position.parent;
        if (!parent) {
          this.rootOutcome = effect.outcome;
          break;
        }
        const results = this.childResults.get(parent.threadId);
        if (results) results[parent.index] = childOutput(effect.outcome);
        queue.push({
          threadId: parent.threadId,
          trigger: { type: "childFinished", index: parent.index, outcome: effect.outcome, fanOutId: parent.fanOutId },
        });
        break;
      }
    }
  }

  /** The ResultWriter entries of a Map's children, from where they stand. */
  private entries(threadId: string, run: MapRunIdentity): ReturnType<typeof resultWriterEntry>[] {
    return (this.children.get(threadId) ?? []).map((id, index) => resultWriterEntry(run, index, this.threads.get(id) as ThreadPosition));
  }

  private addTimer(fireAt: Date, work: Work): void {
    this.timers.push({ fireAt: fireAt.getTime(), seq: this.timerSeq++, work });
    this.timers.sort((a, b) => a.fireAt - b.fireAt || a.seq - b.seq);
  }

  private cancelDescendants(threadId: string): void {
    for (const childId of this.children.get(threadId) ?? []) {
      const child = this.threads.get(childId);
      if (child && child.phase !== "done")
        this.threads.set(childId, { ...child, phase: "done", outcome: { status: "ABORTED", error: null, cause: null } });
      this.cancelDescendants(childId);
    }
    this.timers = this.timers.filter((t) => this.threads.get(t.work.threadId)?.phase !== "done");
  }

  private async runTask(task: TaskRequest): Promise<Trigger> {
    const { taskId } = task;
    const mock = this.mocks.next(task.stateName);
    if (mock) {
      return "Return" in mock
        ? { type: "taskSucceeded", taskId, output: mock.Return }
        : { type: "taskFailed", taskId, error: mock.Throw.Error, cause: mock.Throw.Cause ?? null };
    }
    const { handlers, handlerFor } = this.options;
    const handler = handlerFor ? handlerFor(task.resource) : handlers ? ownValue(handlers, task.resource) : undefined;
    if (!handler) {
      return {
        type: "taskFailed",
        taskId,
        error: "States.TaskFailed",
        cause: `No mock response and no handler for Task state '${task.stateName}' (resource ${task.resource})`,
      };
    }
    try {
      return { type: "taskSucceeded", taskId, output: await handler(task.input, task) };
    } catch (e) {
      if (e instanceof TaskError) return { type: "taskFailed", taskId, error: e.error, cause: e.causeText };
      return {
        type: "taskFailed",
        taskId,
        error: e instanceof Error ? e.name : "Error",
        cause: e instanceof Error ? e.message : String(e),
      };
    }
  }
}

function datasetTrigger(taskId: string, outcome: DatasetOutcome): Trigger {
  return outcome.ok
    ? { type: "taskSucceeded", taskId, output: outcome.value }
    : { type: "taskFailed", taskId, error: outcome.error, cause: outcome.cause };
}

function submits(task: TaskRequest): boolean {
  const resource = describeResource(task.resource);
  return resource.waitForTaskToken || resource.sync;
}

function toResult(outcome: ThreadOutcome, events: HistoryEvent[], resultWrites: ResultWrite[]): RunResult {
  if (outcome.status === "SUCCEEDED") return { status: "SUCCEEDED", output: outcome.output, events, resultWrites };
  return { status: outcome.status, error: outcome.error, cause: outcome.cause, events, resultWrites };
}
