import type { JsonObject } from "@stepwise/asl";
import { AWS_INTEGRATION_HANDLER } from "@stepwise/runtime";
import { createTestRuntime, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsIntegrationHandler, loadIntegrationsConfig } from "../src/index.ts";
import { type LambdaTestServer, startLambdaTestServer } from "./lambda-test-server.ts";

const FN = "arn:aws:lambda:us-east-1:000000000000:function";

class CardDeclined extends Error {
  override name = "CardDeclined";
}

describe("Lambda against a Lambda-compatible endpoint (AWS_ENDPOINT_URL_LAMBDA)", () => {
  let lambda: LambdaTestServer;
  let t: TestRuntime;
  let handler: ReturnType<typeof awsIntegrationHandler>;
  const tokens: string[] = [];

  const output = (execution: { output: string | null }) => JSON.parse(execution.output as string);
  const invoke = (parameters: JsonObject, rest: object = { End: true }) => ({
    Type: "Task" as const,
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: parameters,
    ...rest,
  });

  beforeAll(async () => {
    lambda = await startLambdaTestServer({
      "price-order": (event) => {
        const { items } = event as { items: Array<{ price: number; qty: number }> };
        return { total: items.reduce((sum, i) => sum + i.price * i.qty, 0) };
      },
      "charge-card": (event) => {
        if ((event as { card: string }).card === "4000-0000-0000-0002") throw new CardDeclined("the card was declined");
        return { charged: true };
      },
      "ask-reviewer": (event) => {
        tokens.push((event as { TaskToken: string }).TaskToken);
        return { queued: true };
      },
    });
    t = await createTestRuntime({
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      STEPWISE_RESOURCE_MAP: JSON.stringify({ "local-greeter": "greet" }),
    });
    handler = awsIntegrationHandler(
      loadIntegrationsConfig({
        AWS_ENDPOINT_URL_LAMBDA: lambda.url,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        // One attempt: the failure scenarios below should not wait for the SDK's back-off.
        AWS_MAX_ATTEMPTS: "1",
        STEPWISE_AWS_INTEGRATIONS: "lambda",
      }),
    );
    t.worker({ handlers: { [AWS_INTEGRATION_HANDLER]: handler, greet: (input) => ({ hello: (input as { name: string }).name }) } });
  });
  afterAll(async () => {
    await t?.close();
    handler?.close();
    await lambda?.close();
  });

  it("lambda:invoke sends the Payload as the event and returns Invoke's response with the Payload parsed", async () => {
    const arn = await t.createMachine({
      StartAt: "Price",
      States: { Price: invoke({ FunctionName: `${FN}:price-order`, "Payload.$": "$.order" }) },
    });
    const order = {
      items: [
        { price: 2.5, qty: 2 },
        { price: 10, qty: 1 },
      ],
    };
    const { execution } = await t.run(arn, { order });
    expect(execution.status).toBe("SUCCEEDED");
    const result = output(execution);
    expect(result).toMatchObject({ ExecutedVersion: "$LATEST", Payload: { total: 15 }, StatusCode: 200 });
    expect(result.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(lambda.invocations.at(-1)).toMatchObject({ name: "price-order", type: "RequestResponse", event: order });
  });

  it("a function's own ARN as the resource takes the state's input as the event and answers the function's result", async () => {
    const arn = await t.createMachine({
      StartAt: "Charge",
      States: { Charge: { Type: "Task", Resource: `${FN}:charge-card`, End: true } },
    });
    const { execution } = await t.run(arn, { card: "4242-4242-4242-4242" });
    expect(execution.status).toBe("SUCCEEDED");
    expect(output(execution)).toEqual({ charged: true });
  });

  it("an error the function raises fails the task with the function's error type, which Catch handles, its error document the cause", async () => {
    const arn = await t.createMachine({
      StartAt: "Charge",
      States: {
        Charge: invoke(
          { FunctionName: "charge-card", "Payload.$": "$" },
          { Catch: [{ ErrorEquals: ["CardDeclined"], ResultPath: "$.error", Next: "Declined" }] },
        ),
        Declined: { Type: "Pass", End: true },
      },
    });
    const { execution } = await t.run(arn, { card: "4000-0000-0000-0002" });
    expect(execution.status).toBe("SUCCEEDED");
    const { error } = output(execution);
    expect(error.Error).toBe("CardDeclined");
    expect(JSON.parse(error.Cause)).toMatchObject({ errorType: "CardDeclined", errorMessage: "the card was declined" });
  });

  it("aws-sdk:lambda:invoke answers the Payload as the function's JSON text and leaves a function's error in FunctionError, as AWS's SDK integration does", async () => {
    const call = (card: string) => ({
      Type: "Task" as const,
      Resource: "arn:aws:states:::aws-sdk:lambda:invoke",
      Parameters: { FunctionName: "charge-card", Payload: { card } },
    });
    const arn = await t.createMachine({
      StartAt: "Charge",
      States: {
        Charge: { ...call("4242-4242-4242-4242"), ResultPath: "$.charged", Next: "Declined" },
        Declined: { ...call("4000-0000-0000-0002"), ResultPath: "$.declined", End: true },
      },
    });
    const { execution } = await t.run(arn, {});
    expect(execution.status).toBe("SUCCEEDED");
    const { charged, declined } = output(execution);
    expect(charged).toMatchObject({ StatusCode: 200, ExecutedVersion: "$LATEST", Payload: '{"charged":true}' });
    expect(charged.SdkHttpMetadata).toBeUndefined();
    expect(declined.FunctionError).toBe("Unhandled");
    expect(JSON.parse(declined.Payload)).toMatchObject({ errorType: "CardDeclined" });
  });

  it("a function the endpoint does not have is Lambda.ResourceNotFoundException", async () => {
    const arn = await t.createMachine({ StartAt: "Call", States: { Call: invoke({ FunctionName: "no-such-function", Payload: {} }) } });
    const { execution } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "Lambda.ResourceNotFoundException" });
    expect(execution.cause).toContain("Function not found");
  });

  it("lambda:invoke.waitForTaskToken waits until the function's work answers with the token it was given", async () => {
    const arn = await t.createMachine({
      StartAt: "Review",
      States: {
        Review: invoke(
          { FunctionName: "ask-reviewer", Payload: { "doc.$": "$.doc", "TaskToken.$": "$$.Task.Token" } },
          { Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", End: true },
        ),
      },
    });
    const started = await t.runtime.engine.start({ stateMachineArn: arn, input: JSON.stringify({ doc: "d-1" }) });
    for (let i = 0; i < 100 && tokens.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await t.runtime.engine.completeTask(tokens[0] as string, { output: { verdict: "approved" } });
    const { execution } = await t.waitFor(started.executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(output(execution)).toEqual({ verdict: "approved" });
  });

  it("a function named by the input reaches the endpoint only for an execution whose starter's scope lists lambda", async () => {
    const arn = await t.createMachine({
      StartAt: "Call",
      States: { Call: invoke({ "FunctionName.$": "$.fn", Payload: { items: [] } }) },
    });
    const scope = (awsServices: string[]) => ({ principal: "Access key AKIDORDERS", stateMachines: ["*"], activities: [], awsServices });
    const before = lambda.invocations.length;
    const refused = await t.runtime.engine.start({
      stateMachineArn: arn,
      input: JSON.stringify({ fn: "price-order" }),
      scope: scope(["dynamodb"]),
    });
    const { execution } = await t.waitFor(refused.executionArn);
    expect(execution).toMatchObject({ status: "FAILED", error: "StepFunctions.AccessDeniedException" });
    expect(execution.cause).toContain("does not list 'lambda' in awsServices");
    expect(lambda.invocations).toHaveLength(before);
    const allowed = await t.runtime.engine.start({
      stateMachineArn: arn,
      input: JSON.stringify({ fn: "price-order" }),
      scope: scope(["lambda"]),
    });
    expect((await t.waitFor(allowed.executionArn)).execution.status).toBe("SUCCEEDED");
    expect(lambda.invocations).toHaveLength(before + 1);
  });

  it("STEPWISE_RESOURCE_MAP still wins: a mapped function runs its handler and never reaches the endpoint", async () => {
    const before = lambda.invocations.length;
    const arn = await t.createMachine({
      StartAt: "Greet",
      States: { Greet: invoke({ FunctionName: "local-greeter", Payload: { name: "Ada" } }) },
    });
    const { execution } = await t.run(arn, {});
    expect(execution.status).toBe("SUCCEEDED");
    expect(output(execution).Payload).toEqual({ hello: "Ada" });
    expect(lambda.invocations).toHaveLength(before);
  });
});
