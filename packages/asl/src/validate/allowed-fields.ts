/**
 * Which fields each state type accepts, per query language, as the AWS Step Functions developer guide
 * lists them. A field of the other language gets its own message, since that is the usual mistake.
 */
import type { QueryLanguage, StateType } from "../definition.ts";
import type { StateContext } from "./context.ts";
import { fieldAt } from "./diagnostics.ts";

interface FieldSet {
  any: readonly string[];
  JSONPath: readonly string[];
  JSONata: readonly string[];
}

const COMMON = ["Type", "Comment", "QueryLanguage"];
const TRANSITION = ["Next", "End"];
const JSONPATH_IO = ["InputPath", "OutputPath"];
const ERROR_HANDLING = ["Retry", "Catch"];

export const STATE_FIELDS: Readonly<Record<StateType, FieldSet>> = {
  Pass: {
    any: [...TRANSITION, "Assign"],
    JSONPath: [...JSONPATH_IO, "Parameters", "Result", "ResultPath"],
    JSONata: ["Output"],
  },
  Task: {
    any: [...TRANSITION, "Assign", "Resource", ...ERROR_HANDLING, "TimeoutSeconds", "HeartbeatSeconds", "Credentials"],
    JSONPath: [...JSONPATH_IO, "Parameters", "ResultSelector", "ResultPath", "TimeoutSecondsPath", "HeartbeatSecondsPath"],
    JSONata: ["Arguments", "Output"],
  },
  Choice: {
    any: ["Choices", "Default", "Assign"],
    JSONPath: JSONPATH_IO,
    JSONata: ["Output"],
  },
  Wait: {
    any: [...TRANSITION, "Assign", "Seconds", "Timestamp"],
    JSONPath: [...JSONPATH_IO, "SecondsPath", "TimestampPath"],
    JSONata: ["Output"],
  },
  Succeed: {
    any: [],
    JSONPath: JSONPATH_IO,
    JSONata: ["Output"],
  },
  Fail: {
    any: ["Error", "Cause"],
    JSONPath: ["ErrorPath", "CausePath"],
    JSONata: [],
  },
  Parallel: {
    any: [...TRANSITION, "Assign", "Branches", ...ERROR_HANDLING],
    JSONPath: [...JSONPATH_IO, "Parameters", "ResultSelector", "ResultPath"],
    JSONata: ["Arguments", "Output"],
  },
  Map: {
    any: [
      ...TRANSITION,
      "Assign",
      ...ERROR_HANDLING,
      "ItemProcessor",
      "Iterator",
      "ItemReader",
      "ItemSelector",
      "ItemBatcher",
      "ResultWriter",
      "MaxConcurrency",
      "ToleratedFailurePercentage",
      "ToleratedFailureCount",
      "Label",
    ],
    JSONPath: [
      ...JSONPATH_IO,
      "ItemsPath",
      "Parameters",
      "ResultSelector",
      "ResultPath",
      "MaxConcurrencyPath",
      "ToleratedFailurePercentagePath",
      "ToleratedFailureCountPath",
    ],
    JSONata: ["Items", "Output"],
  },
};

export function fieldAllowed(type: StateType, language: QueryLanguage, field: string): boolean {
  const fields = STATE_FIELDS[type];
  return COMMON.includes(field) || fields.any.includes(field) || fields[language].includes(field);
}

function otherLanguage(language: QueryLanguage): QueryLanguage {
  return language === "JSONPath" ? "JSONata" : "JSONPath";
}

export function checkStateFields(sc: StateContext): void {
  const d = sc.machine.diagnostics;
  for (const field of Object.keys(sc.state)) {
    if (fieldAllowed(sc.type, sc.language, field)) continue;
    const at = fieldAt(sc.location, field);
    if (fieldAllowed(sc.type, otherLanguage(sc.language), field)) {
      d.schema(`The field '${field}' is not supported in ${sc.language} states (it belongs to ${otherLanguage(sc.language)})`, at);
    } else {
      d.schema(`Field '${field}' is not supported by ${sc.type} states`, at);
    }
  }
}
