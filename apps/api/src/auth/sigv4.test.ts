import { describe, expect, it } from "vitest";
import { canonicalRequest, signature, signingKey, stringToSign } from "./canonical-request.ts";
import { verifySignature } from "./sigv4.ts";

// AWS's published Signature V4 test suite (aws-sig-v4-test-suite): its example credentials and date.
const EXAMPLE_KEYS = new Map([["AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"]]);
const EXAMPLE_DATE = "20150830T123600Z";
const EXAMPLE_NOW = new Date("2015-08-30T12:36:00Z");
const vectorAuth = (signedHeaders: string, sig: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signedHeaders}, Signature=${sig}`;
const verifyVector = (method: string, url: string, headers: Array<[string, string]>) =>
  verifySignature(
    { method, url, headers, body: Buffer.alloc(0) },
    { keys: EXAMPLE_KEYS, region: "us-east-1", service: "service", now: EXAMPLE_NOW },
  );

describe("Signature V4 against AWS's test vectors", () => {
  it("get-vanilla", () => {
    const headers: Array<[string, string]> = [
      ["Host", "example.amazonaws.com"],
      ["X-Amz-Date", EXAMPLE_DATE],
      ["Authorization", vectorAuth("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")],
    ];
    expect(verifyVector("GET", "/", headers)).toEqual({ ok: true, accessKeyId: "AKIDEXAMPLE" });
  });

  it("get-vanilla-query-order-key-case: query parameters are sorted", () => {
    const headers: Array<[string, string]> = [
      ["Host", "example.amazonaws.com"],
      ["X-Amz-Date", EXAMPLE_DATE],
      ["Authorization", vectorAuth("host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")],
    ];
    expect(verifyVector("GET", "/?Param2=value2&Param1=value1", headers).ok).toBe(true);
  });

  it("get-header-value-trim: header values are trimmed and inner spaces collapsed", () => {
    const headers: Array<[string, string]> = [
      ["Host", "example.amazonaws.com"],
      ["My-Header1", " value1"],
      ["My-Header2", ' "a   b   c"'],
      ["X-Amz-Date", EXAMPLE_DATE],
      [
        "Authorization",
        vectorAuth("host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
      ],
    ];
    expect(verifyVector("GET", "/", headers).ok).toBe(true);
  });
});

// Requests signed here the way a client signs them, to exercise each rejection on its own.
const KEYS = new Map([["AKIDLOCAL", "local-secret"]]);
const NOW = new Date("2024-05-01T10:00:00Z");
const amzDate = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

function signedRequest(
  options: {
    secret?: string;
    keyId?: string;
    date?: Date;
    region?: string;
    service?: string;
    signedHeaders?: string[];
    body?: string;
    /** A GET with no body: only Host and X-Amz-Date, as a REST-style signed request carries. */
    bodyless?: boolean;
  } = {},
) {
  const date = options.date ?? NOW;
  const stamp = amzDate(date);
  const region = options.region ?? "us-east-1";
  const service = options.service ?? "states";
  const body = options.bodyless ? Buffer.alloc(0) : Buffer.from(options.body ?? '{"name":"x"}');
  const method = options.bodyless ? "GET" : "POST";
  const headers: Array<[string, string]> = options.bodyless
    ? [
        ["Host", "127.0.0.1:8080"],
        ["X-Amz-Date", stamp],
      ]
    : [
        ["Host", "127.0.0.1:8080"],
        ["Content-Type", "application/x-amz-json-1.0"],
        ["X-Amz-Target", "AWSStepFunctions.ListStateMachines"],
        ["X-Amz-Date", stamp],
      ];
  const signedHeaders = options.signedHeaders ?? ["content-type", "host", "x-amz-date", "x-amz-target"];
  const scope = `${stamp.slice(0, 8)}/${region}/${service}/aws4_request`;
  const canonical = canonicalRequest({ method, url: "/", headers, signedHeaders, body });
  const sig = signature(
    signingKey(options.secret ?? "local-secret", stamp.slice(0, 8), region, service),
    stringToSign(stamp, scope, canonical),
  );
  headers.push([
    "Authorization",
    `AWS4-HMAC-SHA256 Credential=${options.keyId ?? "AKIDLOCAL"}/${scope}, SignedHeaders=${signedHeaders.join(";")}, Signature=${sig}`,
  ]);
  return { method, url: "/", headers, body };
}

const verify = (request: ReturnType<typeof signedRequest>) => verifySignature(request, { keys: KEYS, region: "us-east-1", now: NOW });

describe("Signature V4 rejections", () => {
  it("accepts a correctly signed request", () => {
    expect(verify(signedRequest())).toEqual({ ok: true, accessKeyId: "AKIDLOCAL" });
  });

  it("a request without Authorization is missing its authentication token", () => {
    const request = signedRequest();
    request.headers = request.headers.filter(([name]) => name !== "Authorization");
    expect(verify(request)).toEqual({ ok: false, code: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });
  });

  it("an Authorization header without its parts is an incomplete signature", () => {
    const request = signedRequest();
    request.headers = request.headers.map(([name, value]) => [
      name,
      name === "Authorization" ? "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20240501/us-east-1/states/aws4_request" : value,
    ]);
    const check = verify(request);
    expect(check).toMatchObject({ ok: false, code: "IncompleteSignatureException" });
    expect(check.ok || check.message).toContain("Authorization header requires 'Signature' parameter.");
  });

  it("another algorithm is an incomplete signature", () => {
    const request = signedRequest();
    request.headers = request.headers.map(([name, value]) => [
      name,
      name === "Authorization" ? value.replace("AWS4-HMAC-SHA256", "AWS3") : value,
    ]);
    expect(verify(request)).toMatchObject({ ok: false, code: "IncompleteSignatureException" });
  });

  it("an unknown access key is an unrecognized client", () => {
    expect(verify(signedRequest({ keyId: "AKIDUNKNOWN" }))).toEqual({
      ok: false,
      code: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    });
  });

  it("a wrong secret is an invalid signature", () => {
    expect(verify(signedRequest({ secret: "not-the-secret" }))).toMatchObject({ ok: false, code: "InvalidSignatureException" });
  });

  it("a body changed after signing is an invalid signature", () => {
    const request = signedRequest();
    request.body = Buffer.from('{"name":"y"}');
    expect(verify(request)).toMatchObject({ ok: false, code: "InvalidSignatureException" });
  });

  it("a changed signed header is an invalid signature", () => {
    const request = signedRequest();
    request.headers = request.headers.map(([name, value]) => [
      name,
      name === "X-Amz-Target" ? "AWSStepFunctions.DeleteStateMachine" : value,
    ]);
    expect(verify(request)).toMatchObject({ ok: false, code: "InvalidSignatureException" });
  });

  it("a signature older than 15 minutes has expired", () => {
    const check = verify(signedRequest({ date: new Date(NOW.getTime() - 16 * 60_000) }));
    expect(check).toEqual({
      ok: false,
      code: "InvalidSignatureException",
      message: "Signature expired: 20240501T094400Z is now earlier than 20240501T094500Z (20240501T100000Z - 15 min.)",
    });
  });

  it("a signature more than 15 minutes ahead is not yet current", () => {
    const check = verify(signedRequest({ date: new Date(NOW.getTime() + 16 * 60_000) }));
    expect(check).toMatchObject({ ok: false, code: "InvalidSignatureException" });
    expect(check.ok || check.message).toMatch(/^Signature not yet current/);
  });

  it("a signature within the 15 minutes is accepted", () => {
    expect(verify(signedRequest({ date: new Date(NOW.getTime() - 14 * 60_000) })).ok).toBe(true);
  });

  it("the credential must be scoped to the states service and the configured region", () => {
    expect(verify(signedRequest({ service: "lambda" }))).toMatchObject({ ok: false, code: "InvalidSignatureException" });
    expect(verify(signedRequest({ region: "eu-west-1" }))).toMatchObject({ ok: false, code: "InvalidSignatureException" });
  });

  it("host must be a signed header", () => {
    const check = verify(signedRequest({ signedHeaders: ["content-type", "x-amz-date", "x-amz-target"] }));
    expect(check).toMatchObject({ ok: false, code: "InvalidSignatureException" });
    expect(check.ok || check.message).toContain("'Host'");
  });

  it("a signature over Host alone cannot be replayed with another X-Amz-Target", () => {
    const request = signedRequest({ signedHeaders: ["host", "x-amz-date"] });
    request.headers = request.headers.map(([name, value]) => [
      name,
      name === "X-Amz-Target" ? "AWSStepFunctions.DeleteStateMachine" : value,
    ]);
    const check = verify(request);
    expect(check).toMatchObject({ ok: false, code: "InvalidSignatureException" });
    expect(check.ok || check.message).toContain("'Content-Type' must be a 'SignedHeader'");
  });

  it.each([
    ["X-Amz-Target", ["content-type", "host", "x-amz-date"]],
    ["X-Amz-Date", ["content-type", "host", "x-amz-target"]],
    ["Content-Type", ["host", "x-amz-date", "x-amz-target"]],
  ])("%s, when sent, must be a signed header", (header, signedHeaders) => {
    const check = verify(signedRequest({ signedHeaders }));
    expect(check).toEqual({
      ok: false,
      code: "InvalidSignatureException",
      message: `'${header}' must be a 'SignedHeader' in the AWS Authorization.`,
    });
  });

  it("headers a proxy adds after signing, like X-Amzn-Trace-Id or User-Agent, need not be signed", () => {
    const request = signedRequest();
    request.headers.push(["X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793"], ["User-Agent", "proxy/1.0"]);
    expect(verify(request)).toEqual({ ok: true, accessKeyId: "AKIDLOCAL" });
  });

  it("a request without a body or target (a GET) needs only Host and X-Amz-Date signed", () => {
    expect(verify(signedRequest({ bodyless: true, signedHeaders: ["host", "x-amz-date"] }))).toEqual({
      ok: true,
      accessKeyId: "AKIDLOCAL",
    });
  });

  it("a signature of another length or case is compared safely", () => {
    const request = signedRequest();
    request.headers = request.headers.map(([name, value]) => [
      name,
      name === "Authorization" ? value.replace(/Signature=\w+/, "Signature=abc") : value,
    ]);
    expect(verify(request)).toMatchObject({ ok: false, code: "InvalidSignatureException" });
  });
});
