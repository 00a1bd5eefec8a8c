/**
 * The JSON paths of a target's InputPath and InputTransformer's InputPathsMap: `$`, then `.name` (names
 * may hold `-`, as `$.detail-type` does), `['name']` or `[index]`. A path to nothing gives undefined.
 */
import { ValidationException } from "../validation.ts";

type Step = string | number;

export function parseJsonPath(path: string, field: string): Step[] {
  if (!path.startsWith("$")) throw new ValidationException(field, `'${path}' is not a JSON path starting with $`);
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === ".") {
      const name = /^[^.[\]]+/.exec(path.slice(i + 1))?.[0];
      if (!name) throw new ValidationException(field, `'${path}' has an empty name at position ${i + 1}`);
      steps.push(name);
      i += 1 + name.length;
    } else if (path[i] === "[") {
      const bracket = /^\[(?:'([^']*)'|"([^"]*)"|(\d+))\]/.exec(path.slice(i));
      if (!bracket) throw new ValidationException(field, `'${path}' has a bracket at position ${i} that is not ['name'] or [index]`);
      steps.push(bracket[3] !== undefined ? Number(bracket[3]) : (bracket[1] ?? bracket[2] ?? ""));
      i += bracket[0].length;
    } else {
      throw new ValidationException(field, `'${path}' is not a JSON path: unexpected '${path[i]}' at position ${i}`);
    }
  }
  return steps;
}

export function readJsonPath(value: unknown, steps: readonly Step[]): unknown {
  let current = value;
  for (const step of steps) {
    if (typeof step === "number" ? !Array.isArray(current) : typeof current !== "object" || current === null || Array.isArray(current)) {
      return undefined;
    }
    const container = current as Record<string | number, unknown>;
    if (!Object.hasOwn(container, step)) return undefined;
    current = container[step];
  }
  return current;
}
