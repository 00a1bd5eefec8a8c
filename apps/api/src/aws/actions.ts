/** The dispatcher table: every operation of `X-Amz-Target: AWSStepFunctions.<Action>` and its handler. */
import type { Action } from "./action.ts";
import { activityActions } from "./activities.ts";
import { activityTaskActions } from "./activity-task.ts";
import { executionActions } from "./executions.ts";
import { historyActions } from "./history.ts";
import { mapRunActions } from "./map-runs.ts";
import { redriveActions } from "./redrive.ts";
import { stateMachineAliasActions } from "./state-machine-aliases.ts";
import { stateMachineVersionActions } from "./state-machine-versions.ts";
import { stateMachineActions } from "./state-machines.ts";
import { syncExecutionActions } from "./sync-execution.ts";
import { tagActions } from "./tags.ts";
import { taskActions } from "./tasks.ts";
import { testStateActions } from "./test-state.ts";
import { validateActions } from "./validate.ts";

export const TARGET_PREFIX = "AWSStepFunctions.";

export const ACTIONS: ReadonlyMap<string, Action> = new Map(
  Object.entries({
    ...stateMachineActions,
    ...stateMachineVersionActions,
    ...stateMachineAliasActions,
    ...executionActions,
    ...redriveActions,
    ...syncExecutionActions,
    ...historyActions,
    ...mapRunActions,
    ...taskActions,
    ...activityActions,
    ...activityTaskActions,
    ...tagActions,
    ...testStateActions,
    ...validateActions,
  }),
);
