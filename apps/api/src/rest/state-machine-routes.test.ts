import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./test-api.ts";

const pass = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
const arnOf = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;

describe("REST /v1/state-machines", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("creates a machine from an object and describes it by name", async () => {
    const created = await api.call("POST", "/state-machines", { name: "orders", definition: pass });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ stateMachineArn: arnOf("orders"), warnings: [] });
    expect(Date.parse(created.body.creationDate)).not.toBeNaN();

    const described = await api.call("GET", "/state-machines/orders");
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({
      stateMachineArn: arnOf("orders"),
      name: "orders",
      status: "ACTIVE",
      type: "STANDARD",
      definition: pass,
      roleArn: "arn:aws:iam::123456789012:role/stepwise",
    });
  });

  it("creates a machine that uses a field Stepwise does not execute, with a warning naming the field", async () => {
    const definition = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemReader: {
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "MANIFEST", ManifestType: "ATHENA_DATA" },
            Parameters: { Bucket: "b", Key: "k" },
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "I",
            States: { I: { Type: "Pass", End: true } },
          },
          End: true,
        },
      },
    };
    const created = await api.call("POST", "/state-machines", { name: "reads-s3", definition });
    expect(created.status).toBe(201);
    expect(created.body.warnings).toEqual([
      {
        severity: "WARNING",
        code: "UNSUPPORTED_FEATURE",
        message: "The state 'M' uses 'ItemReader.ReaderConfig.ManifestType: ATHENA_DATA', which Stepwise does not execute yet",
        location: "/States/M/ItemReader/ReaderConfig/ManifestType",
      },
    ]);
  });

  it("creates from JSON text, keeping the text, and answers 200 for an identical create", async () => {
    const text = JSON.stringify(pass, null, 2);
    const first = await api.call("POST", "/state-machines", {
      name: "from-text",
      definition: text,
      roleArn: "arn:aws:iam::123456789012:role/custom",
    });
    expect(first.status).toBe(201);
    const again = await api.call("POST", "/state-machines", { name: "from-text", definition: text });
    expect(again.status).toBe(200);
    expect(again.body.stateMachineArn).toBe(arnOf("from-text"));
    expect((await api.call("GET", "/state-machines/from-text")).body.roleArn).toBe("arn:aws:iam::123456789012:role/custom");
  });

  it("refuses a different machine under a taken name with 409", async () => {
    await api.call("POST", "/state-machines", { name: "taken", definition: pass });
    const other = { StartAt: "S", States: { S: { Type: "Succeed" } } };
    const res = await api.call("POST", "/state-machines", { name: "taken", definition: other });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: "StateMachineAlreadyExists", message: `State Machine Already Exists: '${arnOf("taken")}'` });
  });

  it("answers an invalid definition with 400 InvalidDefinition and every diagnostic", async () => {
    const res = await api.call("POST", "/state-machines", {
      name: "broken",
      definition: { StartAt: "Missing", States: { P: { Type: "Pass" } } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("InvalidDefinition");
    expect(res.body.message).toMatch(/^Invalid State Machine Definition: '/);
    expect(res.body.diagnostics.length).toBeGreaterThanOrEqual(2);
    expect(res.body.diagnostics.every((d: { severity: string }) => d.severity === "ERROR")).toBe(true);
    expect((await api.call("GET", "/state-machines/broken")).status).toBe(404);
  });

  it("answers bad create requests with 400 and a named error", async () => {
    const cases: Array<[unknown, string]> = [
      [{ definition: pass }, "ValidationException"],
      [{ name: "x", definition: 42 }, "ValidationException"],
      [{ name: "x", definition: pass, type: "FAST" }, "ValidationException"],
      [{ name: "x", definition: pass, roleArn: "not-an-arn" }, "ValidationException"],
      [{ name: "has space", definition: pass }, "InvalidName"],
      [{ name: "x", definition: "{not json" }, "InvalidDefinition"],
    ];
    for (const [body, error] of cases) {
      const res = await api.call("POST", "/state-machines", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toBe(error);
      expect(typeof res.body.message).toBe("string");
    }
  });

  it("answers a body that is not JSON with 400 SerializationException, without a stack trace", async () => {
    const response = await fetch(`${api.endpoint}/v1/state-machines`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "SerializationException", message: "The request body is not valid JSON" });
    expect(text).not.toContain("at ");
  });

  it("lists machines by name, page by page", async () => {
    for (const name of ["list-a", "list-b", "list-c"]) await api.call("POST", "/state-machines", { name, definition: pass });
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const res = await api.call("GET", `/state-machines?maxResults=2${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.stateMachines.length).toBeLessThanOrEqual(2);
      names.push(...res.body.stateMachines.map((m: { name: string }) => m.name));
      nextToken = res.body.nextToken;
    } while (nextToken);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["list-a", "list-b", "list-c"]));
    expect((await api.call("GET", "/state-machines?maxResults=0")).body.error).toBe("ValidationException");
    const badToken = await api.call("GET", "/state-machines?nextToken=garbage");
    expect(badToken).toMatchObject({ status: 400, body: { error: "InvalidToken" } });
  });

  it("updates the definition, role and description of a machine", async () => {
    await api.call("POST", "/state-machines", { name: "updatable", definition: pass });
    const before = await api.call("GET", "/state-machines/updatable");
    const next = { StartAt: "S", States: { S: { Type: "Succeed" } } };
    const res = await api.call("PUT", "/state-machines/updatable", { definition: next, description: "second" });
    expect(res.status).toBe(200);
    expect(res.body.stateMachineArn).toBe(arnOf("updatable"));
    expect(res.body.revisionId).not.toBe(before.body.revisionId);
    const after = await api.call("GET", "/state-machines/updatable");
    expect(after.body).toMatchObject({ definition: next, description: "second", revisionId: res.body.revisionId });
  });

  it("refuses updates that are empty, invalid or for unknown machines", async () => {
    await api.call("POST", "/state-machines", { name: "kept", definition: pass });
    expect(await api.call("PUT", "/state-machines/kept", {})).toMatchObject({ status: 400, body: { error: "ValidationException" } });
    const invalid = await api.call("PUT", "/state-machines/kept", { definition: { StartAt: "X", States: {} } });
    expect(invalid).toMatchObject({ status: 400, body: { error: "InvalidDefinition" } });
    expect((await api.call("GET", "/state-machines/kept")).body.definition).toEqual(pass);
    const unknown = await api.call("PUT", "/state-machines/nobody", { definition: pass });
    expect(unknown).toMatchObject({ status: 404, body: { error: "StateMachineDoesNotExist" } });
  });

  it("deletes a machine, after which it is gone", async () => {
    await api.call("POST", "/state-machines", { name: "doomed", definition: pass });
    const res = await api.call("DELETE", "/state-machines/doomed");
    expect(res).toEqual({ status: 200, body: { stateMachineArn: arnOf("doomed"), status: "DELETED" } });
    expect((await api.call("GET", "/state-machines/doomed")).status).toBe(404);
    expect(await api.call("DELETE", "/state-machines/doomed")).toMatchObject({ status: 404, body: { error: "StateMachineDoesNotExist" } });
  });

  it("keeps a machine DELETING while one of its executions runs", async () => {
    await api.call("POST", "/state-machines", {
      name: "busy",
      definition: { StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, End: true } } },
    });
    const started = await api.call("POST", "/state-machines/busy/executions", {});
    // Deleting stops an execution at its next transition (as AWS does): let it reach its long Wait first,
    // so the machine stays DELETING while the execution waits.
    const history = `/executions/${encodeURIComponent(started.body.executionArn)}/history`;
    await expect
      .poll(async () => ((await api.call("GET", history)).body.events as Array<{ type: string }>).map((e) => e.type), { timeout: 10_000 })
      .toContain("WaitStateEntered");
    const res = await api.call("DELETE", "/state-machines/busy");
    expect(res.body.status).toBe("DELETING");
    expect((await api.call("GET", "/state-machines/busy")).body.status).toBe("DELETING");
    const update = await api.call("PUT", "/state-machines/busy", { description: "late" });
    expect(update).toMatchObject({ status: 409, body: { error: "StateMachineDeleting" } });
    await api.call("POST", `/executions/${encodeURIComponent(started.body.executionArn)}/stop`, {});
  });

  it("validates a definition in the body, or the stored one", async () => {
    await api.call("POST", "/state-machines", { name: "checked", definition: pass });
    expect(await api.call("POST", "/state-machines/checked/validate")).toEqual({ status: 200, body: { result: "OK", diagnostics: [] } });
    const bad = await api.call("POST", "/state-machines/checked/validate", { definition: { StartAt: "X", States: {} } });
    expect(bad.status).toBe(200);
    expect(bad.body.result).toBe("FAIL");
    expect(bad.body.diagnostics[0]).toMatchObject({ severity: "ERROR" });
    expect((await api.call("POST", "/state-machines/unknown/validate")).body.error).toBe("StateMachineDoesNotExist");
  });

  it("answers a describe of an unknown machine with 404", async () => {
    const res = await api.call("GET", "/state-machines/nope");
    expect(res).toEqual({
      status: 404,
      body: { error: "StateMachineDoesNotExist", message: `State Machine Does Not Exist: '${arnOf("nope")}'` },
    });
  });
});
