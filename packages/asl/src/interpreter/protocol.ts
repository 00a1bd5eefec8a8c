/**
 * What the runtime tells the interpreter (triggers) and what the interpreter asks of the runtime
 * (effects). The interpreter never performs an effect itself.
 */
import type { StateMachineDefinition } from "../definition.ts";
import type { Json } from "../json.ts";
import type { ItemReaderRequest, ResultWriterEntry, ResultWriterRequest } from "../map-datasets.ts";
import type { ThreadOutcome, ThreadPosition } from "./position.ts";
import type { MapRunIdentity } from "./states/map-dataset.ts";

export type Trigger =
  /** Start a new thread or continue one in phase `begin`/`enter`. */
  | { type: "run" }
  | { type: "taskStarted"; taskId: string }
  /** A callback or job task's request was taken (TaskSubmitted); `output` is the service's answer. */
  | { type: "taskSubmitted"; taskId: string; output?: Json }
  | { type: "taskSucceeded"; output: Json; taskId: string }
  | { type: "taskFailed"; error: string | null; cause: string | null; taskId: string }
  | { type: "taskTimedOut"; error: "States.Timeout" | "States.HeartbeatTimeout"; cause?: string | null; taskId: string }
  /** A Wait or retry-backoff timer fired. */
  | { type: "timerFired"; timerId: string }
  /** `fanOutId`: the child's `parent.fanOutId`, so a report from an earlier fan-out is ignored. */
  | { type: "childFinished"; index: number; outcome: ThreadOutcome; fanOutId: string }
  /**
   * Answer to a `join` effect: each child's output (a failed, tolerated Map item: its error output), and
   * each child's ResultWriter entry when the effect asked for them.
   */
  | { type: "joined"; results: Json[]; entries?: ResultWriterEntry[] }
  /**
   * A distributed Map item's child workflow execution ended (see `startChildExecution`). `redriveCount` is
   * the child's: a report from before the redrive that runs it again is stale.
   */
  | { type: "childExecutionEnded"; outcome: ThreadOutcome; redriveCount: number; stopDate: string }
  /** StopExecution, or a parent cancelling its children. */
  | { type: "abort"; error?: string | null; cause?: string | null }
  /** The runtime ends the execution for a reason outside the definition (history too long, machine deleted). */
  | { type: "fail"; error: string; cause: string }
  /** The execution's own TimeoutSeconds elapsed (root thread). */
  | { type: "executionTimedOut" }
  /**
   * UpdateMapRun, for the Map Run of the fan-out `fanOutId` (a Map Run's ARN ends with it: a Map state
   * entered again, or retried, runs a new Map Run, which this must not change).
   */
  | ({ type: "updateMapRun"; fanOutId: string } & MapRunLimits);

/** What UpdateMapRun may change while a Map Run runs; absent members stay as they are. */
export interface MapRunLimits {
  /** 0 means unlimited. */
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

/** A distributed Map's child workflow execution, named and shaped as AWS's (see states/map-children.ts). */
export interface ChildExecutionRequest {
  executionArn: string;
  name: string;
  /** `…:stateMachine:<machine>/<label>`: the Map Run's own state machine. */
  stateMachineArn: string;
  mapRunArn: string;
  /** The Map's item processor as a state machine of its own. */
  definition: StateMachineDefinition;
  input: Json;
  /** How many redrives of the parent ran this child again: 0 creates it, more redrives it. */
  redriveCount: number;
  /** ProcessorConfig.ExecutionType. */
  type: "STANDARD" | "EXPRESS";
}

export interface TaskRequest {
  /** This attempt's id; report its outcome with it so a late or repeated report is ignored. */
  taskId: string;
  stateName: string;
  resource: string;
  resourceType: string;
  resourceName: string;
  /** The task's input (after InputPath/Parameters or Arguments). */
  input: Json;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  credentials?: Json;
  /** Present for `.waitForTaskToken`: the token the callback must present. */
  taskToken?: string;
}

export type Effect =
  | { type: "runTask"; task: TaskRequest }
  | { type: "startTimer"; timerId: string; reason: "wait" | "retry"; fireAt: string }
  /** Create every child thread (stored by the runtime); start the listed indices now. */
  | { type: "fanOut"; children: ThreadPosition[]; start: number[] }
  /**
   * Start the listed children now. `childExecutions`: they are a distributed Map's items run as child
   * workflow executions, whose `run` (a `startChildExecution`) belongs in this transaction.
   */
  | { type: "startChildren"; indices: number[]; childExecutions?: boolean }
  /**
   * A distributed Map item began: create its child workflow execution (or, `request.redriveCount` > 0,
   * redrive the one that ran before), which reports its end to this thread with `childExecutionEnded`.
   */
  | { type: "startChildExecution"; request: ChildExecutionRequest }
  /**
   * All children finished: answer with a `joined` trigger carrying their results in index order (and,
   * with `entries`, each child's entry built by `resultWriterEntry`).
   */
  | { type: "join"; entries?: MapRunIdentity }
  /**
   * A distributed Map's ItemReader: read the items (outside any transaction: it is I/O) and answer with
   * `taskSucceeded` (output: the items, an array) or `taskFailed` (States.ItemReaderFailed), with `taskId`.
   */
  | { type: "readItems"; taskId: string; request: ItemReaderRequest }
  /**
   * A distributed Map's ResultWriter: write the entries of the run's children (`resultWriterEntry` of each
   * child of the fan-out `run.runId`) and answer with `taskSucceeded` (output: the ResultWriterDetails)
   * or `taskFailed` (States.ResultWriterFailed), with `taskId`.
   */
  | { type: "writeResults"; taskId: string; request: ResultWriterRequest; run: MapRunIdentity }
  /** Abort every child still running. */
  | { type: "cancelChildren" }
  /** The thread ended. For the root thread the execution ended. */
  | { type: "finished"; outcome: ThreadOutcome };
