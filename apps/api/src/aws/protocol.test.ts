import { request as httpRequest } from "node:http";
import { ListStateMachinesCommand } from "@aws-sdk/client-sfn";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "./actions.ts";
import { ACCESS_KEY_ID, type AwsTestServer, rejection, startAwsTestServer } from "./test-server.ts";

interface RawAnswer {
  status: number;
  headers: Headers;
  body: { __type?: string; message?: string } & Record<string, unknown>;
}

async function raw(endpoint: string, target: string | undefined, body: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const response = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", ...(target === undefined ? {} : { "x-amz-target": target }), ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? {} : JSON.parse(text) };
}

describe("the AWS JSON 1.0 protocol", () => {
  let s: AwsTestServer;
  beforeAll(async () => {
    s = await startAwsTestServer({ apiEnv: { STEPWISE_AUTH: "off", STEPWISE_MAX_REQUEST_BYTES: "4096" } });
  });
  afterAll(() => s.close());

  it("answers in application/x-amz-json-1.0 with a request id", async () => {
    const answer = await raw(s.endpoint, "AWSStepFunctions.ListStateMachines", "{}");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    expect(answer.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.body).toEqual({ stateMachines: [] });
  });

  it("service errors are 400 with a namespaced __type and a message", async () => {
    const answer = await raw(
      s.endpoint,
      "AWSStepFunctions.DescribeStateMachine",
      JSON.stringify({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:none" }),
    );
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    expect(answer.body).toEqual({
      __type: "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist",
      message: "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:none'",
    });
  });

  it("an unknown or missing target is UnknownOperationException", async () => {
    for (const target of ["AWSStepFunctions.DoSomething", "DynamoDB_20120810.ListTables", undefined]) {
      const answer = await raw(s.endpoint, target, "{}");
      expect(answer.status).toBe(400);
      expect(answer.body.__type).toBe("com.amazon.coral.service#UnknownOperationException");
    }
  });

  it("a body that is not a JSON object is a SerializationException; an empty body is an empty request", async () => {
    for (const body of ["{nope", "[1,2]", '"text"']) {
      const answer = await raw(s.endpoint, "AWSStepFunctions.ListStateMachines", body);
      expect(answer.status).toBe(400);
      expect(answer.body.__type).toBe("com.amazon.coral.service#SerializationException");
    }
    expect((await raw(s.endpoint, "AWSStepFunctions.ListStateMachines", "")).status).toBe(200);
  });

  it("a request of the wrong shape is a ValidationException naming each member; unknown members are ignored", async () => {
    const answer = await raw(
      s.endpoint,
      "AWSStepFunctions.CreateStateMachine",
      JSON.stringify({ name: 5, definition: "", extra: true, tags: [{ key: "" }] }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe("com.amazonaws.swf.service.v2.model#ValidationException");
    expect(answer.body.message).toMatch(/^5 validation errors detected: /);
    expect(answer.body.message).toContain("Value '5' at 'name' failed to satisfy constraint: Member must be of type string");
    expect(answer.body.message).toContain(
      "at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(answer.body.message).toContain("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    expect(answer.body.message).toContain("at 'tags.1.member.key' failed to satisfy constraint");
  });

  it("a body over STEPWISE_MAX_REQUEST_BYTES is refused with 413 and the server carries on", async () => {
    const big = JSON.stringify({ name: "x", definition: "y".repeat(5000), roleArn: "r" });
    const answer = await raw(s.endpoint, "AWSStepFunctions.CreateStateMachine", big);
    expect(answer.status).toBe(413);
    expect(answer.body.__type).toBe("com.amazonaws.swf.service.v2.model#ValidationException");
    expect(answer.body.message).toBe("Request body is larger than the maximum of 4096 bytes");
    // Streamed without a Content-Length, the limit holds as well.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${s.endpoint}/`,
        { method: "POST", headers: { "x-amz-target": "AWSStepFunctions.ListStateMachines", "transfer-encoding": "chunked" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      for (let i = 0; i < 10; i++) req.write("x".repeat(1000));
      req.end();
    });
    expect(streamed).toBe(413);
    expect((await raw(s.endpoint, "AWSStepFunctions.ListStateMachines", "{}")).status).toBe(200);
  });

  it("never answers 5xx to any target and body (property)", async () => {
    const fields = [
      "stateMachineArn",
      "executionArn",
      "activityArn",
      "resourceArn",
      "name",
      "definition",
      "roleArn",
      "input",
      "output",
      "taskToken",
      "maxResults",
      "nextToken",
      "tags",
      "tagKeys",
      "type",
      "statusFilter",
      "reverseOrder",
      "includeExecutionData",
      "error",
      "cause",
      "stateName",
      "mock",
      "loggingConfiguration",
    ];
    const validArn = fc.constantFrom(
      "arn:aws:states:us-east-1:123456789012:stateMachine:m",
      "arn:aws:states:us-east-1:123456789012:execution:m:e",
      "arn:aws:states:us-east-1:123456789012:activity:a",
      "00000000-0000-4000-8000-000000000000",
    );
    const value = fc.oneof(fc.jsonValue(), validArn, fc.string(), fc.integer(), fc.constant(null));
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
    );
    const target = fc.oneof(
      fc.constantFrom(...[...ACTIONS.keys()].filter((a) => a !== "GetActivityTask")).map((a) => `AWSStepFunctions.${a}`),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(target, body, async (t, b) => {
        const answer = await raw(s.endpoint, t, b);
        expect(answer.status, `${t} ${b} → ${JSON.stringify(answer.body)}`).toBeLessThan(500);
        expect(answer.headers.get("content-type")).toBe("application/x-amz-json-1.0");
      }),
      { numRuns: 300 },
    );
  });
});

describe("Signature V4 authentication", () => {
  let s: AwsTestServer;
  beforeAll(async () => {
    s = await startAwsTestServer();
  });
  afterAll(() => s.close());

  it("accepts requests signed with a configured key", async () => {
    await expect(s.client.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: [] });
  });

  it("refuses a wrong secret with InvalidSignatureException", async () => {
    const error = await rejection(
      s.clientWith({ credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "wrong" } }).send(new ListStateMachinesCommand({})),
    );
    expect(error.name).toBe("InvalidSignatureException");
    expect(error.message).toMatch(/^The request signature we calculated does not match/);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it("refuses an unknown access key with UnrecognizedClientException", async () => {
    const error = await rejection(
      s.clientWith({ credentials: { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" } }).send(new ListStateMachinesCommand({})),
    );
    expect(error.name).toBe("UnrecognizedClientException");
    expect(error.message).toBe("The security token included in the request is invalid.");
  });

  it("refuses a signature dated more than 15 minutes ago as expired", async () => {
    const error = await rejection(s.clientWith({ systemClockOffset: -20 * 60_000 }).send(new ListStateMachinesCommand({})));
    expect(error.name).toBe("InvalidSignatureException");
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it("refuses a credential scoped to another region", async () => {
    const error = await rejection(s.clientWith({ region: "eu-west-1" }).send(new ListStateMachinesCommand({})));
    expect(error.name).toBe("InvalidSignatureException");
    expect(error.message).toContain("eu-west-1");
  });

  it("refuses an unsigned request with MissingAuthenticationTokenException", async () => {
    const answer = await raw(s.endpoint, "AWSStepFunctions.ListStateMachines", "{}");
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      __type: "com.amazon.coral.service#MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
    });
  });

  it("refuses an incomplete Authorization header with IncompleteSignatureException", async () => {
    const answer = await raw(s.endpoint, "AWSStepFunctions.ListStateMachines", "{}", {
      authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20240101/us-east-1/states/aws4_request`,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe("com.amazon.coral.service#IncompleteSignatureException");
  });

  it("checks the signature before anything else: an unsigned unknown operation is still unauthenticated", async () => {
    const answer = await raw(s.endpoint, "AWSStepFunctions.Nope", "{nope");
    expect(answer.body.__type).toBe("com.amazon.coral.service#MissingAuthenticationTokenException");
  });
});
