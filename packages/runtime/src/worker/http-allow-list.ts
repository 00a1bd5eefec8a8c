/**
 * Which hosts the HTTP Task may call (STEPWISE_HTTP_ALLOWED_HOSTS). AWS needs no such list because an
 * EventBridge connection names each API; a self-hosted worker sits inside someone's network, so without
 * one any state machine author could reach internal services (server-side request forgery).
 */
import { isIP } from "node:net";
import { isInternalAddress } from "./internal-addresses.ts";
import { TaskFailure } from "./task-handler.ts";

/** One comma-separated entry: `api.example.com`, `*.example.com`, `*`, each optionally `:port`. */
interface AllowedHost {
  /** Lower-case host name or canonical IP (IPv6 in brackets, as URL.hostname gives it). */
  host: string;
  kind: "exact" | "subdomains" | "any";
  port?: string;
}

export interface AllowedHosts {
  entries: readonly AllowedHost[];
}

/** How a URL's host was allowed; `undefined` when it was not. */
export type HostMatch = "exact" | "pattern" | "any";

/** Parses the setting; throws on an entry that is not a host, so a typo fails at start-up, not per call. */
export function parseAllowedHosts(text: string): AllowedHosts {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map(parseEntry);
  return { entries };
}

function parseEntry(entry: string): AllowedHost {
  // A bare IPv6 address has several colons and no port; brackets are needed to give it one.
  const bareIpv6 = !entry.startsWith("[") && entry.indexOf(":") !== entry.lastIndexOf(":");
  const match = bareIpv6 ? [entry, `[${entry}]`, undefined] : /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(entry);
  const rawHost = match?.[1];
  const port = match?.[2];
  if (rawHost === undefined || rawHost === "" || (port !== undefined && Number(port) > 65535)) {
    throw new Error(`STEPWISE_HTTP_ALLOWED_HOSTS: '${entry}' is not a host, *.domain or host:port`);
  }
  const withPort = (allowed: AllowedHost): AllowedHost => (port === undefined ? allowed : { ...allowed, port: String(Number(port)) });
  if (rawHost === "*") return withPort({ host: "*", kind: "any" });
  const wildcard = rawHost.startsWith("*.");
  const host = canonicalHost(wildcard ? rawHost.slice(2) : rawHost);
  if (host === undefined || host.includes("*")) {
    throw new Error(`STEPWISE_HTTP_ALLOWED_HOSTS: '${entry}' is not a host, *.domain or host:port`);
  }
  return withPort({ host, kind: wildcard ? "subdomains" : "exact" });
}

/** The host as URL.hostname spells it (lower case, punycode, canonical IP), without a trailing dot. */
function canonicalHost(raw: string): string | undefined {
  try {
    const { hostname, pathname, port } = new URL(`http://${raw}`);
    if (pathname !== "/" || port !== "" || hostname === "") return undefined;
    return stripTrailingDot(hostname);
  } catch {
    return undefined;
  }
}

function stripTrailingDot(hostname: string): string {
  return hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
}

/** The port a request to `url` connects to. */
export function effectivePort(url: URL): string {
  if (url.port !== "") return url.port;
  return url.protocol === "https:" ? "443" : "80";
}

/** The most specific entry that allows `url`'s host and port. */
export function matchAllowedHost(allowed: AllowedHosts, url: URL): HostMatch | undefined {
  const host = stripTrailingDot(url.hostname);
  const port = effectivePort(url);
  let best: HostMatch | undefined;
  for (const entry of allowed.entries) {
    if (entry.port !== undefined && entry.port !== port) continue;
    if (entry.kind === "exact" && entry.host === host) return "exact";
    if (entry.kind === "subdomains" && host.endsWith(`.${entry.host}`)) best = "pattern";
    if (entry.kind === "any" && best === undefined) best = "any";
  }
  return best;
}

/** The IP address a URL names literally (brackets removed), or undefined for a host name. */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) === 0 ? undefined : host;
}

/** Resolves a host name to its IP addresses (DNS). */
export type LookupAddresses = (hostname: string) => Promise<string[]>;

/**
 * Throws unless `url` may be called. States.Permissions is AWS's name for "the execution may not call
 * this" (a missing IAM permission); a host outside the allow-list is the same refusal here.
 * An exact entry is trusted as written, even a private address (that is how an operator opts in to an
 * internal API). Otherwise literal internal addresses are refused, and under `*` so are names that
 * resolve to one. The address is resolved again when connecting, so a DNS answer that changes in
 * between (rebinding) is not caught; list hosts exactly where that matters.
 */
export async function assertTargetAllowed(allowed: AllowedHosts, url: URL, lookup: LookupAddresses): Promise<void> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TaskFailure("States.Permissions", `The URL '${url.href}' is not http or https.`);
  }
  const target = `${url.hostname}:${effectivePort(url)}`;
  const match = matchAllowedHost(allowed, url);
  if (match === undefined) {
    const empty = allowed.entries.length === 0 ? " (which is empty)" : "";
    throw new TaskFailure("States.Permissions", `The host '${target}' is not in STEPWISE_HTTP_ALLOWED_HOSTS${empty}.`);
  }
  if (match === "exact") return;
  const literal = literalAddress(url);
  if (literal !== undefined) {
    if (isInternalAddress(literal)) throw internalAddressRefused(target, literal);
    return;
  }
  if (match !== "any") return;
  let addresses: string[];
  try {
    addresses = await lookup(url.hostname);
  } catch (error) {
    throw new TaskFailure("States.Http.Socket", `Could not resolve '${url.hostname}': ${(error as Error).message}`);
  }
  const internal = addresses.find(isInternalAddress);
  if (internal !== undefined) throw internalAddressRefused(target, internal);
}

function internalAddressRefused(target: string, address: string): TaskFailure {
  return new TaskFailure(
    "States.Permissions",
    `The host '${target}' is a private, loopback, link-local or other special-purpose address (${address}); list it exactly in STEPWISE_HTTP_ALLOWED_HOSTS to call it.`,
  );
}
