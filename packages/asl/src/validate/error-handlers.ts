/**
 * `Retry` and `Catch` of Task, Parallel and Map states. Catcher `Next` targets are checked with the
 * other transitions.
 */
import { StatesErrorName } from "../errors.ts";
import { isJsonObject, type Json, type JsonObject } from "../json.ts";
import type { StateContext } from "./context.ts";
import { fieldAt, indexAt } from "./diagnostics.ts";
import { checkJsonataTemplate, checkResultPath } from "./expressions.ts";
import { checkEnum, checkInteger, checkKnownFields, checkNumber, checkString, has, requireFields } from "./field-values.ts";
import { checkAssign, MAX_SECONDS } from "./state-fields.ts";

const RETRIER_FIELDS = ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"];
const CATCHER_FIELDS = {
  JSONPath: ["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"],
  JSONata: ["ErrorEquals", "Next", "Output", "Assign", "Comment"],
};

/** AWS caps MaxDelaySeconds below one year and a day. */
const MAX_DELAY_SECONDS = 31_622_400;

type Kind = "Retry" | "Catch";

function handlers(sc: StateContext, kind: Kind): { list: Json[]; location: string } | null {
  if (!has(sc.state, kind)) return null;
  const location = fieldAt(sc.location, kind);
  const list = sc.state[kind];
  if (Array.isArray(list)) return { list, location };
  sc.machine.diagnostics.schema(`The value for the field '${kind}' must be an ARRAY`, location);
  return null;
}

/** `ErrorEquals`: non-empty strings; `States.ALL` alone, and only in the last retrier or catcher. */
function checkErrorEquals(sc: StateContext, handler: JsonObject, location: string, last: boolean, kind: Kind): void {
  const d = sc.machine.diagnostics;
  if (!requireFields(d, handler, ["ErrorEquals"], location)) return;
  const at = fieldAt(location, "ErrorEquals");
  const names = handler.ErrorEquals;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === "string" && n.length > 0)) {
    d.schema("The value for the field 'ErrorEquals' must be a non-empty ARRAY of non-empty STRINGs", at);
    return;
  }
  if (!names.includes(StatesErrorName.ALL)) return;
  if (names.length > 1) d.schema(`'${StatesErrorName.ALL}' must appear alone in ErrorEquals`, at);
  const holder = kind === "Retry" ? "retrier" : "catcher";
  if (!last) d.schema(`A ${holder} with '${StatesErrorName.ALL}' in ErrorEquals must be the last ${holder}`, at);
}

export function checkRetry(sc: StateContext): void {
  const retry = handlers(sc, "Retry");
  if (!retry) return;
  const d = sc.machine.diagnostics;
  retry.list.forEach((retrier, i) => {
    const at = indexAt(retry.location, i);
    if (!isJsonObject(retrier)) {
      d.schema("A retrier must be an OBJECT", at);
      return;
    }
    checkKnownFields(d, retrier, RETRIER_FIELDS, at);
    checkErrorEquals(sc, retrier, at, i === retry.list.length - 1, "Retry");
    checkInteger(d, retrier, "IntervalSeconds", at, { min: 1, max: MAX_SECONDS });
    checkInteger(d, retrier, "MaxAttempts", at, { min: 0, max: MAX_SECONDS });
    checkNumber(d, retrier, "BackoffRate", at, { min: 1 });
    checkInteger(d, retrier, "MaxDelaySeconds", at, { min: 1, max: MAX_DELAY_SECONDS });
    checkEnum(d, retrier, "JitterStrategy", at, ["FULL", "NONE"]);
    checkString(d, retrier, "Comment", at);
  });
}

export function checkCatch(sc: StateContext): void {
  const catchers = handlers(sc, "Catch");
  if (!catchers) return;
  const d = sc.machine.diagnostics;
  catchers.list.forEach((catcher, i) => {
    const at = indexAt(catchers.location, i);
    if (!isJsonObject(catcher)) {
      d.schema("A catcher must be an OBJECT", at);
      return;
    }
    checkKnownFields(d, catcher, CATCHER_FIELDS[sc.language], at);
    checkErrorEquals(sc, catcher, at, i === catchers.list.length - 1, "Catch");
    if (requireFields(d, catcher, ["Next"], at)) checkString(d, catcher, "Next", at);
    checkString(d, catcher, "Comment", at);
    if (sc.language === "JSONPath" && has(catcher, "ResultPath")) checkResultPath(d, catcher.ResultPath as Json, fieldAt(at, "ResultPath"));
    if (sc.language === "JSONata" && has(catcher, "Output"))
      checkJsonataTemplate(d, catcher.Output as Json, "Output", fieldAt(at, "Output"));
    if (has(catcher, "Assign")) checkAssign(sc, catcher.Assign as Json, fieldAt(at, "Assign"));
  });
}
