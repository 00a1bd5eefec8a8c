import { describe, expect, it } from "vitest";
import { assertTargetAllowed, matchAllowedHost, parseAllowedHosts } from "./http-allow-list.ts";
import { TaskFailure } from "./task-handler.ts";

const match = (list: string, url: string) => matchAllowedHost(parseAllowedHosts(list), new URL(url));

const noLookup = async (): Promise<string[]> => {
  throw new Error("lookup must not be called");
};

async function refusal(list: string, url: string, lookup = noLookup): Promise<TaskFailure> {
  const error = await assertTargetAllowed(parseAllowedHosts(list), new URL(url), lookup).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskFailure);
  return error as TaskFailure;
}

describe("parseAllowedHosts", () => {
  it("reads hosts, patterns and ports, canonicalising them as URLs do", () => {
    expect(parseAllowedHosts(" API.Example.com. , *.svc.example.com,*, 127.0.0.1:8080, [::1]:9000, ::1 ,").entries).toEqual([
      { host: "api.example.com", kind: "exact" },
      { host: "svc.example.com", kind: "subdomains" },
      { host: "*", kind: "any" },
      { host: "127.0.0.1", kind: "exact", port: "8080" },
      { host: "[::1]", kind: "exact", port: "9000" },
      { host: "[::1]", kind: "exact" },
    ]);
    expect(parseAllowedHosts("").entries).toEqual([]);
  });

  it.each(["http://example.com", "example.com/path", "example.com:99999", "*.", "*.*.example.com", "a b.com", ":80", "ex*ample.com"])(
    "throws on '%s' so a typo fails at start-up",
    (entry) => {
      expect(() => parseAllowedHosts(entry)).toThrow(/STEPWISE_HTTP_ALLOWED_HOSTS/);
    },
  );
});

describe("matchAllowedHost", () => {
  it("matches exact hosts on any port unless the entry names one", () => {
    expect(match("api.example.com", "https://API.example.com./v1")).toBe("exact");
    expect(match("api.example.com", "http://api.example.com:8443/")).toBe("exact");
    expect(match("api.example.com:443", "https://api.example.com/")).toBe("exact");
    expect(match("api.example.com:443", "http://api.example.com/")).toBeUndefined();
    expect(match("api.example.com", "https://example.com/")).toBeUndefined();
  });

  it("matches *.domain on subdomains at any depth, not the domain itself or look-alikes", () => {
    expect(match("*.example.com", "https://a.example.com/")).toBe("pattern");
    expect(match("*.example.com", "https://a.b.example.com/")).toBe("pattern");
    expect(match("*.example.com", "https://example.com/")).toBeUndefined();
    expect(match("*.example.com", "https://badexample.com/")).toBeUndefined();
  });

  it("prefers an exact entry to a pattern and a pattern to *", () => {
    expect(match("*, *.example.com, a.example.com", "https://a.example.com/")).toBe("exact");
    expect(match("*, *.example.com", "https://a.example.com/")).toBe("pattern");
    expect(match("*", "https://anything.test/")).toBe("any");
  });

  it("compares IP addresses in canonical form", () => {
    expect(match("[0:0:0:0:0:0:0:1]", "http://[::1]:3000/")).toBe("exact");
    expect(match("127.0.0.1", "http://0x7f.0.0.1/")).toBe("exact");
  });
});

describe("assertTargetAllowed", () => {
  it("trusts an exact entry, even a private address", async () => {
    await expect(assertTargetAllowed(parseAllowedHosts("10.0.0.5"), new URL("http://10.0.0.5/"), noLookup)).resolves.toBeUndefined();
  });

  it("refuses a literal private address reached only through a pattern or *", async () => {
    expect((await refusal("*", "http://[::ffff:7f00:1]/")).causeText).toContain("private, loopback, link-local");
    expect((await refusal("*", "http://169.254.169.254/latest/meta-data")).error).toBe("States.Permissions");
  });

  it.each([
    "http://[64:ff9b::7f00:1]/", // NAT64 of 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data", // NAT64 of 169.254.169.254
    "http://[::127.0.0.1]/", // IPv4-compatible loopback
    "http://198.18.0.1/", // benchmarking
    "http://[2002:7f00:1::]/", // 6to4 of 127.0.0.1
  ])("refuses %s, which leads to an internal address, under *", async (url) => {
    expect((await refusal("*", url)).causeText).toContain("special-purpose");
  });

  it("checks DNS only under *, refusing names that resolve to internal addresses", async () => {
    const resolvesTo = (addresses: string[]) => async () => addresses;
    expect((await refusal("*", "https://internal.example.com/", resolvesTo(["93.184.216.34", "10.0.0.8"]))).causeText).toContain(
      "10.0.0.8",
    );
    await expect(
      assertTargetAllowed(parseAllowedHosts("*"), new URL("https://api.example.com/"), resolvesTo(["93.184.216.34"])),
    ).resolves.toBeUndefined();
    // A pattern is the operator trusting that domain, internal addresses included.
    await expect(
      assertTargetAllowed(parseAllowedHosts("*.corp.internal"), new URL("https://db.corp.internal/"), noLookup),
    ).resolves.toBeUndefined();
  });

  it("fails with States.Http.Socket when the name does not resolve", async () => {
    const error = await refusal("*", "https://nowhere.invalid/", async () => {
      throw new Error("getaddrinfo ENOTFOUND nowhere.invalid");
    });
    expect(error.error).toBe("States.Http.Socket");
    expect(error.causeText).toContain("ENOTFOUND");
  });

  it("refuses a scheme other than http and https (a redirect can lead anywhere)", async () => {
    expect((await refusal("*", "file:///etc/passwd")).error).toBe("States.Permissions");
  });
});
