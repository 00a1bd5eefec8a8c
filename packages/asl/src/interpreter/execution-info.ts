import type { Json } from "../json.ts";

/** Facts about the execution that the context object (`$$`) exposes. */
export interface ExecutionInfo {
  executionArn: string;
  executionName: string;
  startTime: string;
  roleArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  input: Json;
  redriveCount: number;
}

/** What a single step may use besides its arguments: time, randomness and the next history id. */
export interface StepEnvironment {
  now: Date;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Id of the first event this step appends. */
  nextEventId: number;
  /** AWS's payload quota (262,144 bytes) unless configured otherwise. */
  maxPayloadBytes?: number;
  /**
   * How long one expression evaluation (a JSONata expression, the JSONPath paths of one field set) may
   * run: it holds the process meanwhile. 500 ms unless configured otherwise.
   */
  expressionTimeoutMs?: number;
  /**
   * The history's length limit (AWS: 25,000 events). A step stops entering states once the history is
   * that long, so that whoever drives it can fail the execution there instead of far beyond it.
   */
  maxHistoryEvents?: number;
  /**
   * A distributed Map's items run as child workflow executions, which the runtime creates and which report
   * their ends (the server's engine). Absent: they run as threads of this execution that record no
   * events here (the local runner, Express executions held in one process).
   */
  childExecutions?: boolean;
  /**
   * The JSON text of the position's `stateInput`, where the caller has it at hand (the ExecutionStarted
   * event it just wrote holds the first state's input), so the step need not serialise it again.
   */
  stateInputText?: string;
}
