/**
 * A choice rule written the way people read it (`$.x == 3`, `$.kind matches "a*"`), for edge labels.
 * Works on untrusted JSON: the editor previews definitions that do not validate yet.
 */

const COMPARISON = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;

const SYMBOLS: Record<string, string> = {
  Equals: "==",
  LessThan: "<",
  GreaterThan: ">",
  LessThanEquals: "<=",
  GreaterThanEquals: ">=",
};

/** `IsNull: true` reads "is null", `IsNull: false` "is not null". */
const TYPE_TESTS: Record<string, [string, string]> = {
  IsNull: ["is null", "is not null"],
  IsPresent: ["is present", "is absent"],
  IsNumeric: ["is numeric", "is not numeric"],
  IsString: ["is a string", "is not a string"],
  IsBoolean: ["is a boolean", "is not a boolean"],
  IsTimestamp: ["is a timestamp", "is not a timestamp"],
};

const RULE_FIELDS = new Set(["Variable", "Next", "Comment", "Output", "Assign"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSONata conditions are `{% expr %}`; the expression alone is what a reader wants. */
function conditionText(condition: unknown): string {
  if (typeof condition === "string") {
    const match = /^\{%([\s\S]*)%\}$/.exec(condition.trim());
    return (match ? match[1]! : condition).trim();
  }
  return JSON.stringify(condition) ?? "?";
}

function operand(value: unknown, isPath: boolean): string {
  if (isPath && typeof value === "string") return value;
  return JSON.stringify(value) ?? "?";
}

function nested(rule: unknown): string {
  const text = choiceRuleLabel(rule);
  return isObject(rule) && (Array.isArray(rule.And) || Array.isArray(rule.Or)) ? `(${text})` : text;
}

export function choiceRuleLabel(rule: unknown): string {
  if (!isObject(rule)) return "?";
  if ("Condition" in rule) return conditionText(rule.Condition);
  if (Array.isArray(rule.And)) return rule.And.map(nested).join(" && ");
  if (Array.isArray(rule.Or)) return rule.Or.map(nested).join(" || ");
  if ("Not" in rule) return `!(${choiceRuleLabel(rule.Not)})`;
  const variable = typeof rule.Variable === "string" ? rule.Variable : "?";
  const operator = Object.keys(rule).find((key) => !RULE_FIELDS.has(key));
  if (operator === undefined) return variable;
  const value = rule[operator];
  const comparison = COMPARISON.exec(operator);
  if (comparison) return `${variable} ${SYMBOLS[comparison[2]!]} ${operand(value, comparison[3] === "Path")}`;
  // An operator is a key of the definition: `constructor` must not find Object.prototype's.
  if (operator === "StringMatches") return `${variable} matches ${operand(value, false)}`;
  const test = Object.hasOwn(TYPE_TESTS, operator) ? TYPE_TESTS[operator] : undefined;
  if (test) return `${variable} ${value === false ? test[1] : test[0]}`;
  return `${variable} ${operator} ${operand(value, operator.endsWith("Path"))}`;
}
