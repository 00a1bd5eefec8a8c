/**
 * What a rule's target passes to the execution it starts, as EventBridge builds it: the event itself, the
 * constant `Input`, the part of the event at `InputPath`, or `InputTransformer`'s template filled with
 * values the event holds at `InputPathsMap`'s paths (and the predefined `aws.events.*` variables).
 *
 * In a template, a variable inside a JSON string is replaced by the value as it is (a string without its
 * quotes, as EventBridge does not escape what it inserts); outside a string by the value's JSON (a string
 * with its quotes). A variable whose path finds nothing is `null` outside a string and empty inside one.
 */
import type { EventTarget } from "@stepwise/storage";
import { parseJsonPath, readJsonPath } from "./json-path.ts";

export interface InputContext {
  ruleArn: string;
  ruleName: string;
  /** The event as EventBridge delivers it, and its JSON text. */
  event: Record<string, unknown>;
  eventJson: string;
  ingestionTime: string;
}

export function targetInput(target: EventTarget, context: InputContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const value = readJsonPath(context.event, parseJsonPath(target.InputPath, "InputPath"));
    return value === undefined ? "null" : JSON.stringify(value);
  }
  if (target.InputTransformer !== undefined) return fillTemplate(target.InputTransformer, context);
  return context.eventJson;
}

function fillTemplate(transformer: NonNullable<EventTarget["InputTransformer"]>, context: InputContext): string {
  const values = new Map<string, unknown>([
    ["aws.events.rule-arn", context.ruleArn],
    ["aws.events.rule-name", context.ruleName],
    ["aws.events.event", context.event],
    ["aws.events.event.json", context.eventJson],
    ["aws.events.event.ingestion-time", context.ingestionTime],
  ]);
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    values.set(name, readJsonPath(context.event, parseJsonPath(path, `InputPathsMap.${name}`)));
  }
  const template = transformer.InputTemplate;
  let out = "";
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c === "<") {
      const name = /^<([^<>\s]+)>/.exec(template.slice(i))?.[1];
      if (name !== undefined && (values.has(name) || Object.hasOwn(transformer.InputPathsMap ?? {}, name))) {
        out += inString ? rawText(values.get(name)) : jsonText(values.get(name));
        i += name.length + 1;
        continue;
      }
    }
    if (c === "\\" && inString) {
      out += c + (template[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    out += c;
  }
  return out;
}

const jsonText = (value: unknown) => (value === undefined ? "null" : JSON.stringify(value));
const rawText = (value: unknown) => (value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value));
