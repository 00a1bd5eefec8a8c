/**
 * For the redrive tests: one execution driven through `advance` in memory, kept as the distributed
 * runtime keeps it — threads by id, child results once per fan-out (`thread@fanOutId`) and index — so
 * that it can end, be redriven with `redriveExecution`'s plan, and run on.
 */
import type { StateMachineDefinition } from "../definition.ts";
import type { HistoryEvent, HistoryEventType } from "../history-events.ts";
import type { Json } from "../json.ts";
import { ownValue } from "../own-property.ts";
import { TaskError } from "../runner/run-execution.ts";
import { advance } from "./advance.ts";
import { beginExecution } from "./begin-execution.ts";
import { type CompiledMachine, compileMachine } from "./compiled-machine.ts";
import type { ExecutionInfo } from "./execution-info.ts";
import { childThreadId, ROOT_THREAD_ID, type ThreadOutcome, type ThreadPosition } from "./position.ts";
import type { Effect, Trigger } from "./protocol.ts";
import { redriveExecution } from "./redrive.ts";
import { childOutput } from "./states/fan-out.ts";

export type DriverHandler = (input: Json) => Json;

interface Work {
  threadId: string;
  trigger: Trigger;
}

export class DrivenExecution {
  readonly events: HistoryEvent[];
  readonly threads = new Map<string, ThreadPosition>();
  /** What each task resource was called with, in call order. */
  readonly calls: { resource: string; input: Json }[] = [];
  /** Every `startChildren` effect's indices, in order. */
  readonly started: number[][] = [];
  maxPayloadBytes: number | undefined;
  private readonly machine: CompiledMachine;
  private info: ExecutionInfo;
  private readonly results = new Map<string, Map<number, { status: ThreadOutcome["status"]; output: Json }>>();
  private readonly queue: Work[] = [];
  private outcome: ThreadOutcome | undefined;
  private clock = Date.parse("2024-05-01T00:00:00.000Z");

  constructor(
    definition: StateMachineDefinition,
    private readonly handlers: Record<string, DriverHandler>,
    input: Json = {},
  ) {
    this.machine = compileMachine(definition);
    this.info = {
      executionArn: "arn:aws:states:us-east-1:123456789012:execution:Machine:run",
      executionName: "run",
      startTime: new Date(this.clock).toISOString(),
      roleArn: "arn:aws:iam::123456789012:role/test",
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:Machine",
      stateMachineName: "Machine",
      input,
      redriveCount: 0,
    };
    const begun = beginExecution(this.machine, this.info, { now: this.now() });
    this.events = [begun.event];
    this.threads.set(ROOT_THREAD_ID, begun.position);
    this.queue.push({ threadId: ROOT_THREAD_ID, trigger: { type: "run" } });
  }

  async run(): Promise<ThreadOutcome> {
    this.outcome = undefined;
    for (let work = this.queue.shift(); work && !this.outcome; work = this.queue.shift()) await this.step(work);
    if (!this.outcome) throw new Error("the execution is stuck");
    this.queue.length = 0;
    return this.outcome;
  }

  /** RedriveExecution, applied as the runtime applies it, then run to the end again. */
  async redrive(): Promise<ThreadOutcome> {
    this.info = { ...this.info, redriveCount: this.info.redriveCount + 1 };
    const plan = await redriveExecution(this.machine, [...this.threads.values()], this.info, {
      now: this.now(),
      random: () => 0.5,
      nextEventId: this.events.length + 1,
    });
    this.events.push(plan.event);
    for (const id of plan.discarded) this.threads.delete(id);
    for (const thread of plan.threads) this.threads.set(thread.threadId, thread);
    const kept = new Set(plan.resumed.map((f) => `${f.threadId}@${f.fanOutId}`));
    for (const [key, results] of this.results) {
      if (!kept.has(key)) this.results.delete(key);
      else for (const [index, result] of results) if (result.status !== "SUCCEEDED") results.delete(index);
    }
    this.queue.push({ threadId: ROOT_THREAD_ID, trigger: { type: "run" } });
    return this.run();
  }

  typesSince(type: HistoryEventType): HistoryEventType[] {
    const types = this.events.map((e) => e.type);
    return types.slice(types.lastIndexOf(type));
  }

  callsOf(resource: string): Json[] {
    return this.calls.filter((c) => c.resource === resource).map((c) => c.input);
  }

  private now(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  private async step(work: Work): Promise<void> {
    const position = this.threads.get(work.threadId);
    if (!position || position.phase === "done") return;
    const env = { now: this.now(), random: () => 0.5, nextEventId: this.events.length + 1, maxPayloadBytes: this.maxPayloadBytes };
    const step = await advance(this.machine, position, work.trigger, env, this.info);
    this.events.push(...step.events);
    this.threads.set(work.threadId, step.position);
    if (step.position.phase === "enter" || step.position.phase === "begin")
      this.queue.push({ threadId: work.threadId, trigger: { type: "run" } });
    for (const effect of step.effects) this.carryOut(effect, work.threadId, step.position);
  }

  private carryOut(effect: Effect, threadId: string, position: ThreadPosition): void {
    switch (effect.type) {
      case "runTask":
        this.queue.unshift({ threadId, trigger: this.runTask(effect.task.resource, effect.task.input, effect.task.taskId) });
        return;
      case "startTimer":
        this.queue.push({ threadId, trigger: { type: "timerFired", timerId: effect.timerId } });
        return;
      case "fanOut":
        for (const child of effect.children) this.threads.set(child.threadId, child);
        for (const index of effect.start) this.queue.push({ threadId: effect.children[index]?.threadId ?? "", trigger: { type: "run" } });
        return;
      case "startChildren":
        this.started.push(effect.indices);
        for (const index of effect.indices) this.queue.push({ threadId: childThreadId(position, index), trigger: { type: "run" } });
        return;
      case "join": {
        const results = this.results.get(`${threadId}@${position.fanOut?.id}`) ?? new Map();
        const joined = [...results.entries()].sort(([a], [b]) => a - b).map(([, r]) => r.output);
        this.queue.unshift({ threadId, trigger: { type: "joined", results: joined } });
        return;
      }
      case "cancelChildren":
        for (const [id, thread] of this.threads) {
          if ((threadId === ROOT_THREAD_ID || id.startsWith(`${threadId}/`)) && id !== threadId && thread.phase !== "done")
            this.threads.set(id, { ...thread, phase: "done", outcome: { status: "ABORTED", error: null, cause: null } });
        }
        return;
      case "finished": {
        const parent = position.parent;
        if (!parent) {
          this.outcome = effect.outcome;
          return;
        }
        const key = `${parent.threadId}@${parent.fanOutId}`;
        const results = this.results.get(key) ?? new Map();
        this.results.set(key, results);
        if (results.has(parent.index)) return;
        results.set(parent.index, { status: effect.outcome.status, output: childOutput(effect.outcome) });
        this.queue.push({
          threadId: parent.threadId,
          trigger: { type: "childFinished", index: parent.index, outcome: effect.outcome, fanOutId: parent.fanOutId },
        });
        return;
      }
    }
  }

  private runTask(resource: string, input: Json, taskId: string): Trigger {
    this.calls.push({ resource, input });
    const handler = ownValue(this.handlers, resource);
    try {
      if (!handler) throw new TaskError("No.Handler", resource);
      return { type: "taskSucceeded", taskId, output: handler(input) };
    } catch (e) {
      if (!(e instanceof TaskError)) throw e;
      return { type: "taskFailed", taskId, error: e.error, cause: e.causeText };
    }
  }
}
