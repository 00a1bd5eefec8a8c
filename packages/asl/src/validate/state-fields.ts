/**
 * The values of state fields: the input/output fields every state type shares, and the fields of Pass,
 * Task, Wait, Fail and Parallel. (Map, Choice, Retry/Catch have modules of their own.)
 */
import { isJsonObject, type Json } from "../json.ts";
import { fieldAllowed } from "./allowed-fields.ts";
import type { StateContext } from "./context.ts";
import { DiagnosticCode, fieldAt, indexAt } from "./diagnostics.ts";
import { checkIntegerField, checkStringField } from "./dynamic-fields.ts";
import {
  checkJsonata,
  checkJsonataTemplate,
  checkJsonPathTemplate,
  checkPath,
  checkPathOrIntrinsic,
  checkResultPath,
  isJsonataExpression,
  looksDynamic,
} from "./expressions.ts";
import { exactlyOne, has, isInteger, requireFields } from "./field-values.ts";

/** AWS's ceiling for TimeoutSeconds, HeartbeatSeconds and Wait Seconds. */
export const MAX_SECONDS = 99_999_999;

/** Fields a state may carry in its language that hold a template or a path. */
export function checkDataFields(sc: StateContext): void {
  const d = sc.machine.diagnostics;
  const present = (field: string) => has(sc.state, field) && fieldAllowed(sc.type, sc.language, field);
  const value = (field: string) => sc.state[field] as Json;
  const at = (field: string) => fieldAt(sc.location, field);

  for (const field of ["InputPath", "OutputPath"]) {
    if (present(field) && value(field) !== null) checkPath(d, value(field), field, at(field));
  }
  if (present("ResultPath")) checkResultPath(d, value("ResultPath"), at("ResultPath"));
  for (const field of ["Parameters", "ResultSelector"]) {
    if (!present(field)) continue;
    if (isJsonObject(value(field))) checkJsonPathTemplate(d, value(field), at(field));
    else d.schema(`The value for the field '${field}' must be an OBJECT`, at(field));
  }
  if (present("Assign")) checkAssign(sc, value("Assign"), at("Assign"));
  if (present("Arguments")) {
    const args = value("Arguments");
    if (isJsonObject(args) || isJsonataExpression(args)) checkJsonataTemplate(d, args, "Arguments", at("Arguments"));
    else d.schema("The value for the field 'Arguments' must be an OBJECT or a JSONata expression", at("Arguments"));
  }
  if (present("Output")) checkJsonataTemplate(d, value("Output"), "Output", at("Output"));
}

/** `Assign` of a state, a choice rule or a catcher. */
export function checkAssign(sc: StateContext, assign: Json, location: string): void {
  const d = sc.machine.diagnostics;
  if (!isJsonObject(assign)) d.schema("The value for the field 'Assign' must be an OBJECT", location);
  else if (sc.language === "JSONPath") checkJsonPathTemplate(d, assign, location);
  else checkJsonataTemplate(d, assign, "Assign", location);
}

export function checkPassFields(sc: StateContext): void {
  if (sc.language === "JSONPath" && has(sc.state, "Result") && looksDynamic(sc.state.Result as Json)) {
    sc.machine.diagnostics.warning(
      DiagnosticCode.PassResultIsStatic,
      "The Result of a Pass state is static: its '.$' fields are not evaluated (use Parameters to select from the input)",
      fieldAt(sc.location, "Result"),
    );
  }
}

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

export function checkTaskFields(sc: StateContext): void {
  const d = sc.machine.diagnostics;
  if (requireFields(d, sc.state, ["Resource"], sc.location)) {
    const resource = sc.state.Resource;
    if (typeof resource !== "string" || !URI.test(resource)) {
      d.error(
        DiagnosticCode.InvalidResource,
        "The value for the field 'Resource' must be a URI (for example an ARN)",
        fieldAt(sc.location, "Resource"),
      );
    }
  }
  const pathFor = (field: string) => (sc.language === "JSONPath" ? `${field}Path` : null);
  checkIntegerField(sc, sc.state, sc.location, "TimeoutSeconds", pathFor("TimeoutSeconds"), { min: 1, max: MAX_SECONDS });
  checkIntegerField(sc, sc.state, sc.location, "HeartbeatSeconds", pathFor("HeartbeatSeconds"), { min: 1, max: MAX_SECONDS });
  const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = sc.state;
  if (isInteger(timeout) && isInteger(heartbeat) && heartbeat >= timeout) {
    d.schema("HeartbeatSeconds must be smaller than TimeoutSeconds", fieldAt(sc.location, "HeartbeatSeconds"));
  }
  if (has(sc.state, "Credentials")) checkCredentials(sc, sc.state.Credentials as Json, fieldAt(sc.location, "Credentials"));
}

function checkCredentials(sc: StateContext, credentials: Json, location: string): void {
  const d = sc.machine.diagnostics;
  if (!isJsonObject(credentials)) {
    d.schema("The value for the field 'Credentials' must be an OBJECT", location);
    return;
  }
  const fields = sc.language === "JSONPath" ? ["RoleArn", "RoleArn.$"] : ["RoleArn"];
  for (const field of Object.keys(credentials)) {
    if (!fields.includes(field)) d.schema(`Field '${field}' is not supported in Credentials`, fieldAt(location, field));
  }
  if (!exactlyOne(d, credentials, fields, location)) return;
  if (has(credentials, "RoleArn.$")) checkPathOrIntrinsic(d, credentials["RoleArn.$"], "RoleArn.$", fieldAt(location, "RoleArn.$"));
  const role = credentials.RoleArn;
  if (has(credentials, "RoleArn")) {
    if (typeof role !== "string") d.schema("The value for the field 'RoleArn' must be a STRING", fieldAt(location, "RoleArn"));
    else if (sc.language === "JSONata" && isJsonataExpression(role)) checkJsonata(d, role, "RoleArn", fieldAt(location, "RoleArn"));
  }
}

export function checkWaitFields(sc: StateContext): void {
  const d = sc.machine.diagnostics;
  const choices = sc.language === "JSONPath" ? ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"] : ["Seconds", "Timestamp"];
  if (!exactlyOne(d, sc.state, choices, sc.location)) return;
  const jsonPath = sc.language === "JSONPath";
  checkIntegerField(sc, sc.state, sc.location, "Seconds", jsonPath ? "SecondsPath" : null, { min: 0, max: MAX_SECONDS });
  checkStringField(sc, sc.state, sc.location, "Timestamp", jsonPath ? "TimestampPath" : null, "reference");
}

export function checkFailFields(sc: StateContext): void {
  const jsonPath = sc.language === "JSONPath";
  checkStringField(sc, sc.state, sc.location, "Error", jsonPath ? "ErrorPath" : null, "pathOrIntrinsic");
  checkStringField(sc, sc.state, sc.location, "Cause", jsonPath ? "CausePath" : null, "pathOrIntrinsic");
}

export function checkParallelFields(sc: StateContext): void {
  const d = sc.machine.diagnostics;
  if (!requireFields(d, sc.state, ["Branches"], sc.location)) return;
  const branches = sc.state.Branches;
  const at = fieldAt(sc.location, "Branches");
  if (!Array.isArray(branches) || branches.length === 0) {
    d.schema("The value for the field 'Branches' must be a non-empty ARRAY", at);
    return;
  }
  branches.forEach((branch, i) => {
    sc.machine.validateBlock(branch, indexAt(at, i), sc.depth + 1, "branch");
  });
}
