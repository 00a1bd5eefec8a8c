/** What a new state machine starts from: small and valid, with a Choice to show how rules are drawn. */
export const STARTER_DEFINITION = `{
  "Comment": "A new state machine",
  "StartAt": "Check",
  "States": {
    "Check": {
      "Type": "Choice",
      "Choices": [
        { "Variable": "$.amount", "NumericGreaterThan": 100, "Next": "Review" }
      ],
      "Default": "Approve"
    },
    "Review": {
      "Type": "Wait",
      "Seconds": 1,
      "Next": "Approve"
    },
    "Approve": {
      "Type": "Pass",
      "Result": { "approved": true },
      "ResultPath": "$.decision",
      "End": true
    }
  }
}
`;
