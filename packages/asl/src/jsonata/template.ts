/**
 * Field values of JSONata states (`Output`, `Arguments`, `Assign`, `Items`, `ItemSelector`, a Choice's
 * `Condition`, a Fail's `Error`/`Cause`, a Wait's `Seconds`/`Timestamp`, `TimeoutSeconds`,
 * `MaxConcurrency`…). A `{% … %}` string is evaluated wherever it sits in objects and arrays; every
 * other value is literal. Expressions are evaluated in document order, so the randomness they draw
 * is consumed in a reproducible order.
 */
import { isJsonObject, type Json, type JsonObject } from "../json.ts";
import { setJsonProperty } from "../own-property.ts";
import { evaluateExpression, FieldBindings, type JsonataBindings } from "./evaluate.ts";
import { expressionBody, isJsonataExpression } from "./expression.ts";

/**
 * Evaluates the value of `field`. Errors name the expression's place under the field the way AWS
 * does: `/key` per object member and `[i]` per array item (`Output/items[0]/id`).
 */
export function evaluateJsonataTemplate(template: Json, bindings: JsonataBindings, field: string): Promise<Json> {
  return resolve(template, field, new FieldBindings(bindings));
}

/**
 * Evaluates an `Assign` block. Every value is evaluated against the same bindings before any variable
 * changes (assignments in one block do not see each other); the caller applies the result.
 */
export async function evaluateAssign(assign: JsonObject, bindings: JsonataBindings, fieldPrefix = "Assign"): Promise<Record<string, Json>> {
  const fieldBindings = new FieldBindings(bindings);
  const assigned: JsonObject = {};
  for (const [name, value] of Object.entries(assign)) {
    setJsonProperty(assigned, name, await resolve(value, `${fieldPrefix}/${name}`, fieldBindings));
  }
  return assigned;
}

async function resolve(value: Json, field: string, bindings: FieldBindings): Promise<Json> {
  if (isJsonataExpression(value)) return evaluateExpression(expressionBody(value), field, bindings);
  if (Array.isArray(value)) {
    const items: Json[] = [];
    for (const [index, item] of value.entries()) items.push(await resolve(item, `${field}[${index}]`, bindings));
    return items;
  }
  if (isJsonObject(value)) {
    const members: JsonObject = {};
    for (const [key, member] of Object.entries(value)) {
      setJsonProperty(members, key, await resolve(member, `${field}/${key}`, bindings));
    }
    return members;
  }
  return value;
}
