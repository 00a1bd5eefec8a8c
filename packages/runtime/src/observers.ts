/**
 * What the runtime reports as it works, for metrics. Observers are added after the runtime exists (a
 * process builds its runtime first, then its metrics from it), so the engine and workers report here
 * rather than to callbacks fixed at construction.
 */
import type { ReclaimedRows } from "@stepwise/storage";
import type { TransitionResult } from "./engine/transition.ts";
import type { LoggedEvents } from "./execution-logs/execution-log.ts";

export interface TransitionObservation {
  executionArn: string;
  result: TransitionResult;
  /** The whole transition: transaction, job dispatch and stop signals. */
  durationMs: number;
}

export interface ExecutionStartObservation {
  executionArn: string;
  stateMachineArn: string;
  /** Held back by the state machine's concurrency limit. */
  queued: boolean;
  /** Its first events, when its state machine logs executions. */
  logged?: LoggedEvents;
}

/** An execution closed outside a transition: an Express execution's job. (Transitions report theirs with `transition`.) */
export interface ExecutionFinishObservation {
  executionArn: string;
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  startDate: Date;
  stopDate: Date;
}

export interface TaskObservation {
  handler: string;
  outcome: "succeeded" | "failed";
  durationMs: number;
}

/** A task attempt a worker took to run itself, without its queue (worker/local-tasks.ts). */
export interface LocalTaskObservation {
  handler: string;
  /** inline: answered inside the transition that scheduled it; after_commit: run once that committed. */
  mode: "inline" | "after_commit";
}

export interface StalledJobObservation {
  /** The BullMQ queue the stalled job was taken back into. */
  queue: string;
}

/** One expiry transaction: executions past their retention deleted, with what was stored for them. */
export interface ExpiryObservation {
  executions: number;
  reclaimed: readonly ReclaimedRows[];
}

export interface RuntimeObserver {
  transition?(event: TransitionObservation): void;
  executionStarted?(event: ExecutionStartObservation): void;
  executionFinished?(event: ExecutionFinishObservation): void;
  task?(event: TaskObservation): void;
  localTask?(event: LocalTaskObservation): void;
  jobStalled?(event: StalledJobObservation): void;
  expired?(event: ExpiryObservation): void;
}

export class RuntimeObservers {
  private readonly observers = new Set<RuntimeObserver>();

  /** Returns the function that removes the observer again. */
  add(observer: RuntimeObserver): () => void {
    this.observers.add(observer);
    return () => {
      this.observers.delete(observer);
    };
  }

  transition(event: TransitionObservation): void {
    for (const o of this.observers) o.transition?.(event);
  }

  executionStarted(event: ExecutionStartObservation): void {
    for (const o of this.observers) o.executionStarted?.(event);
  }

  executionFinished(event: ExecutionFinishObservation): void {
    for (const o of this.observers) o.executionFinished?.(event);
  }

  task(event: TaskObservation): void {
    for (const o of this.observers) o.task?.(event);
  }

  localTask(event: LocalTaskObservation): void {
    for (const o of this.observers) o.localTask?.(event);
  }

  jobStalled(event: StalledJobObservation): void {
    for (const o of this.observers) o.jobStalled?.(event);
  }

  expired(event: ExpiryObservation): void {
    for (const o of this.observers) o.expired?.(event);
  }
}
