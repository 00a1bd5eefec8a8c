import { describe, expect, it } from "vitest";
import { definitionReach } from "./definition-reach.ts";
import { Access } from "./scopes.ts";

const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const orders = Access.scoped("Access key AKIDORDERS", { stateMachines: ["orders-*"], activities: ["orders-worker"] });
const billing = `${ACCOUNT}:stateMachine:billing-a`;
const oneTask = (task: object) => JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", End: true, ...task } } });

describe("what a definition reaches", () => {
  const task = (Resource: string, extra: object = {}) => ({ Type: "Task", Resource, End: true, ...extra });
  const start = "arn:aws:states:::states:startExecution.sync:2";
  const definition = JSON.stringify({
    StartAt: "Fan out",
    States: {
      "Fan out": {
        Type: "Parallel",
        Next: "Each",
        Branches: [
          { StartAt: "Work", States: { Work: task(`${ACCOUNT}:activity:orders-worker`) } },
          { StartAt: "Child", States: { Child: task(start, { Parameters: { StateMachineArn: `${ACCOUNT}:stateMachine:billing-a` } }) } },
        ],
      },
      Each: {
        Type: "Map",
        End: true,
        ItemProcessor: {
          StartAt: "Dynamic",
          States: { Dynamic: task("arn:aws:states:::states:startExecution", { Parameters: { "StateMachineArn.$": "$.target" } }) },
        },
      },
    },
  });

  it("finds activities and started machines in branches and item processors, and targets chosen at run time", () => {
    expect(definitionReach(definition, {})).toEqual({
      arns: [
        { arn: `${ACCOUNT}:activity:orders-worker`, state: "Work" },
        { arn: `${ACCOUNT}:stateMachine:billing-a`, state: "Child" },
      ],
      dynamicStates: ["Dynamic"],
      services: [],
    });
  });

  it("counts JSONata expressions and parameters taken from the input as chosen at run time", () => {
    const jsonata = JSON.stringify({
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: {
        A: task(start, { Arguments: { StateMachineArn: "{% $states.input.target %}" }, End: undefined, Next: "B" }),
        B: task(start, { Arguments: "{% $states.input %}", End: undefined, Next: "C" }),
        C: task(start, { Arguments: { StateMachineArn: `${ACCOUNT}:stateMachine:orders-b` } }),
      },
    });
    expect(definitionReach(jsonata, {})).toEqual({
      arns: [{ arn: `${ACCOUNT}:stateMachine:orders-b`, state: "C" }],
      dynamicStates: ["A", "B"],
      services: [],
    });
    const noParameters = JSON.stringify({ StartAt: "A", States: { A: task(start) } });
    expect(definitionReach(noParameters, {}).dynamicStates).toEqual(["A"]);
  });

  it("a scoped credential may only create what stays in its scope", () => {
    expect(() => orders.requireReach("states:CreateStateMachine", definitionReach(definition, {}))).toThrow(
      `on resource: ${ACCOUNT}:stateMachine:billing-a because the definition's state 'Child' names it outside the scope`,
    );
    const inScope = JSON.stringify({
      StartAt: "A",
      States: {
        A: task(start, { Parameters: { StateMachineArn: `${ACCOUNT}:stateMachine:orders-b` }, End: undefined, Next: "B" }),
        B: { Type: "Pass", End: true },
      },
    });
    expect(() => orders.requireReach("states:CreateStateMachine", definitionReach(inScope, {}))).not.toThrow();
    const dynamic = JSON.stringify({ StartAt: "A", States: { A: task(start) } });
    expect(() => orders.requireReach("states:CreateStateMachine", definitionReach(dynamic, {}))).toThrow(
      /state 'A' because it starts a state machine chosen at run time/,
    );
    expect(() => Access.unrestricted("admin").requireReach("states:CreateStateMachine", definitionReach(definition, {}))).not.toThrow();
    const everyMachine = Access.scoped("Access key AKIDOPS", { stateMachines: ["*"], activities: [] });
    expect(() => everyMachine.requireReach("states:CreateStateMachine", definitionReach(dynamic, {}))).not.toThrow();
  });
});

describe("a machine started under another name", () => {
  const startBilling = { Parameters: { StateMachineArn: billing } };

  it("is found whichever way the built-in startExecution handler is named", () => {
    for (const task of [
      { Resource: "arn:aws:states:::states:startExecution", ...startBilling },
      { Resource: "arn:aws:lambda:us-east-1:123456789012:function:states-startExecution", ...startBilling },
      {
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "states-startExecution", Payload: { StateMachineArn: billing } },
      },
    ]) {
      expect(definitionReach(oneTask(task), {}), task.Resource).toEqual({
        arns: [{ arn: billing, state: "T" }],
        dynamicStates: [],
        services: [],
      });
    }
  });

  it("is found behind a STEPWISE_RESOURCE_MAP entry, and only there", () => {
    const aliased = oneTask({ Resource: "arn:aws:lambda:us-east-1:123456789012:function:launch", ...startBilling });
    expect(definitionReach(aliased, { launch: "states-startExecution" }).arns).toEqual([{ arn: billing, state: "T" }]);
    expect(definitionReach(aliased, { launch: "launcher" }).arns).toEqual([]);
  });

  it("counts a function chosen at run time as a machine chosen at run time: it could be the built-in handler", () => {
    const dynamic = oneTask({ Resource: "arn:aws:states:::lambda:invoke", Parameters: { "FunctionName.$": "$.fn", Payload: {} } });
    expect(definitionReach(dynamic, {}).dynamicStates).toEqual(["T"]);
    const plain = oneTask({ Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "charge", "Payload.$": "$" } });
    expect(definitionReach(plain, {})).toEqual({ arns: [], dynamicStates: [], services: [] });
  });

  it("reads a field given both literally and as .$ as chosen at run time: the .$ one is what would run", () => {
    const inScope = `${ACCOUNT}:stateMachine:orders-b`;
    for (const task of [
      {
        Resource: "arn:aws:states:::states:startExecution.sync:2",
        Parameters: { StateMachineArn: inScope, "StateMachineArn.$": "$.target" },
      },
      { Resource: "arn:aws:states:::states:startExecution", Parameters: { "StateMachineArn.$": "$.target", StateMachineArn: inScope } },
      {
        Resource: "arn:aws:lambda:us-east-1:123456789012:function:states-startExecution",
        Parameters: { StateMachineArn: inScope, "StateMachineArn.$": "$.target" },
      },
      {
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "orders-fn", "FunctionName.$": "$.fn", Payload: { StateMachineArn: inScope } },
      },
    ]) {
      const reach = definitionReach(oneTask(task), {});
      expect(reach, task.Resource).toEqual({ arns: [], dynamicStates: ["T"], services: [] });
      expect(() => orders.requireReach("states:CreateStateMachine", reach)).toThrow(/chosen at run time/);
    }
  });

  it("resolves function names like constructor, toString and valueOf as names, not as Object.prototype's functions", () => {
    for (const name of ["constructor", "toString", "valueOf"]) {
      const task = oneTask({ Resource: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, ...startBilling });
      expect(definitionReach(task, {}), name).toEqual({ arns: [], dynamicStates: [], services: [] });
      expect(definitionReach(task, { [name]: "states-startExecution" }).arns, name).toEqual([{ arn: billing, state: "T" }]);
    }
  });
});

describe("AWS service integrations", () => {
  const integrations = JSON.stringify({
    StartAt: "Save",
    States: {
      Save: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", Parameters: { TableName: "orders" }, Next: "Notify" },
      Notify: {
        Type: "Parallel",
        End: true,
        Branches: [
          {
            StartAt: "Send",
            States: { Send: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken", End: true } },
          },
        ],
      },
    },
  });

  it("are found with the service each calls, unless STEPWISE_RESOURCE_MAP sends the resource to a handler", () => {
    expect(definitionReach(integrations, {}).services).toEqual([
      { service: "dynamodb", state: "Save" },
      { service: "sqs", state: "Send" },
    ]);
    expect(definitionReach(integrations, { "arn:aws:states:::dynamodb:putItem": "save-order" }).services).toEqual([
      { service: "sqs", state: "Send" },
    ]);
  });

  it("Lambda resources call the 'lambda' service when the workers have a Lambda endpoint (AWS_ENDPOINT_URL_LAMBDA), not otherwise", () => {
    const lambda = JSON.stringify({
      StartAt: "Price",
      States: {
        Price: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "price" }, Next: "Charge" },
        Charge: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", End: true },
      },
    });
    expect(definitionReach(lambda, {}).services).toEqual([]);
    expect(definitionReach(lambda, {}, true).services).toEqual([
      { service: "lambda", state: "Price" },
      { service: "lambda", state: "Charge" },
    ]);
    expect(definitionReach(lambda, { price: "price-locally" }, true).services).toEqual([{ service: "lambda", state: "Charge" }]);
  });

  it("a scoped credential may only create machines calling the services its scope lists in awsServices", () => {
    const reach = definitionReach(integrations, {});
    expect(() => orders.requireReach("states:CreateStateMachine", reach)).toThrow(
      "on resource: state 'Save' because it calls the AWS service 'dynamodb', which this credential's scope does not list in awsServices",
    );
    const dynamoOnly = Access.scoped("Access key AKIDDB", { stateMachines: ["*"], activities: [], awsServices: ["dynamodb"] });
    expect(() => dynamoOnly.requireReach("states:CreateStateMachine", reach)).toThrow(
      /state 'Send' because it calls the AWS service 'sqs'/,
    );
    const both = Access.scoped("Access key AKIDBOTH", { stateMachines: ["*"], activities: [], awsServices: ["dynamodb", "sqs"] });
    expect(() => both.requireReach("states:CreateStateMachine", reach)).not.toThrow();
    const every = Access.scoped("Access key AKIDALL", { stateMachines: ["*"], activities: [], awsServices: ["*"] });
    expect(() => every.requireReach("states:CreateStateMachine", reach)).not.toThrow();
    expect(() => Access.unrestricted("admin").requireReach("states:CreateStateMachine", reach)).not.toThrow();
  });

  it("the executions a scoped credential starts record its awsServices, which their integration tasks are held to as they run", () => {
    const dynamoOnly = Access.scoped("Access key AKIDDB", { stateMachines: ["orders-*"], activities: [], awsServices: ["dynamodb"] });
    expect(dynamoOnly.executionScope).toEqual({
      principal: "Access key AKIDDB",
      stateMachines: ["orders-*"],
      activities: [],
      awsServices: ["dynamodb"],
    });
    expect(Access.scoped("Access key AKIDNONE", { stateMachines: ["*"], activities: [] }).executionScope?.awsServices).toEqual([]);
  });
});
