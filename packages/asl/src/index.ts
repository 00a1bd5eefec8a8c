export type * from "./definition.ts";
export { isDistributedMap, itemProcessorOf, queryLanguageOf } from "./definition.ts";
export * from "./errors.ts";
export type { EvaluationScope } from "./evaluation-scope.ts";
export type * from "./history-events.ts";
export { advance, type StepResult } from "./interpreter/advance.ts";
export { beginExecution } from "./interpreter/begin-execution.ts";
export { CompiledMachine, compileMachine } from "./interpreter/compiled-machine.ts";
export type { ExecutionInfo, StepEnvironment } from "./interpreter/execution-info.ts";
export * from "./interpreter/position.ts";
export type * from "./interpreter/protocol.ts";
export { type RedriveEnvironment, type RedrivePlan, redriveExecution } from "./interpreter/redrive.ts";
export { DEFAULT_MAX_PAYLOAD_BYTES } from "./interpreter/state-data.ts";
export { childOutput } from "./interpreter/states/fan-out.ts";
export {
  asDatasetFailure,
  childExecutionName,
  entryJson,
  type MapRunIdentity,
  resultWriterEntry,
} from "./interpreter/states/map-dataset.ts";
export { describeResource, type ResourceDescription } from "./interpreter/states/task-resource.ts";
export * from "./json.ts";
export type * from "./map-datasets.ts";
export { ownValue, setJsonProperty } from "./own-property.ts";
export { type RunnerClock, seededRandom, virtualClock } from "./runner/clock.ts";
export type { ResultWrite } from "./runner/local-datasets.ts";
export { type Mocks, parseMocks } from "./runner/mocks.ts";
export { type RunOptions, type RunResult, runExecution, TaskError, type TaskHandler, type WorkflowType } from "./runner/run-execution.ts";
export { type CaseReport, parseCases, runCase, summarize, type TestCase } from "./runner/test-cases.ts";
export * from "./validate/index.ts";
