import { describe, expect, it } from "vitest";
import { choiceRuleLabel } from "./choice-label.ts";

describe("choiceRuleLabel", () => {
  it("renders comparisons with their operator symbol", () => {
    expect(choiceRuleLabel({ Variable: "$.x", NumericEquals: 3, Next: "A" })).toBe("$.x == 3");
    expect(choiceRuleLabel({ Variable: "$.name", StringEquals: "bob", Next: "A" })).toBe('$.name == "bob"');
    expect(choiceRuleLabel({ Variable: "$.n", NumericGreaterThanEqualsPath: "$.min", Next: "A" })).toBe("$.n >= $.min");
    expect(choiceRuleLabel({ Variable: "$.t", TimestampLessThan: "2024-01-01T00:00:00Z" })).toBe('$.t < "2024-01-01T00:00:00Z"');
    expect(choiceRuleLabel({ Variable: "$.ok", BooleanEquals: false })).toBe("$.ok == false");
  });

  it("renders pattern matches and type tests", () => {
    expect(choiceRuleLabel({ Variable: "$.f", StringMatches: "*.log" })).toBe('$.f matches "*.log"');
    expect(choiceRuleLabel({ Variable: "$.v", IsNull: true })).toBe("$.v is null");
    expect(choiceRuleLabel({ Variable: "$.v", IsPresent: false })).toBe("$.v is absent");
  });

  it("combines And, Or and Not with parentheses where they nest", () => {
    const rule = {
      And: [
        { Variable: "$.a", NumericLessThan: 1 },
        { Or: [{ Variable: "$.b", IsString: true }, { Not: { Variable: "$.c", BooleanEquals: true } }] },
      ],
      Next: "X",
    };
    expect(choiceRuleLabel(rule)).toBe("$.a < 1 && ($.b is a string || !($.c == true))");
  });

  it("shows a JSONata condition without its delimiters", () => {
    expect(choiceRuleLabel({ Condition: "{% $states.input.x > 3 %}", Next: "A" })).toBe("$states.input.x > 3");
    expect(choiceRuleLabel({ Condition: true, Next: "A" })).toBe("true");
  });

  it("never throws on malformed rules", () => {
    expect(choiceRuleLabel(null)).toBe("?");
    expect(choiceRuleLabel({ Next: "A" })).toBe("?");
    expect(choiceRuleLabel({ Variable: "$.x", Next: "A" })).toBe("$.x");
  });
});
