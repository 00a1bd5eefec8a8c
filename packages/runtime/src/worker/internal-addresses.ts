/**
 * Which IP addresses the HTTP Task refuses to reach unless an operator lists them exactly: everything in
 * IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates), plus multicast,
 * the deprecated site-local range and the IPv6 forms that carry an IPv4 address inside them.
 *
 * Blocking only "private" ranges is not enough: `64:ff9b::7f00:1` reaches 127.0.0.1 through a NAT64
 * gateway, `::127.0.0.1` and `::ffff:127.0.0.1` are loopback to many stacks, and 198.18.0.0/15 or
 * 100.64.0.0/10 hold internal services on some networks. The few registry entries marked "globally
 * reachable" (AS112, AMT, anycast relays) are refused too: no HTTP API an execution needs lives there.
 */
import { isIP } from "node:net";

type Range = readonly [network: string, prefix: number];

// IANA IPv4 Special-Purpose Address Registry, plus multicast (RFC 5771) and the limited broadcast.
const IPV4_SPECIAL: readonly Range[] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // shared address space (carrier-grade NAT; some clouds' metadata)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata services)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments (DS-Lite, NAT64 discovery, ...)
  ["192.0.2.0", 24], // documentation TEST-NET-1
  ["192.31.196.0", 24], // AS112-v4
  ["192.52.193.0", 24], // AMT
  ["192.88.99.0", 24], // deprecated 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["192.175.48.0", 24], // direct delegation AS112
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation TEST-NET-2
  ["203.0.113.0", 24], // documentation TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 limited broadcast
];

// IANA IPv6 Special-Purpose Address Registry (ranges that embed an IPv4 address are handled below),
// plus multicast and the deprecated site-local range, which some stacks still route.
const IPV6_SPECIAL: readonly Range[] = [
  ["::", 96], // unspecified, loopback and the deprecated IPv4-compatible addresses (::127.0.0.1)
  ["64:ff9b:1::", 48], // local-use IPv4/IPv6 translation
  ["100::", 64], // discard-only
  ["100:0:0:1::", 64], // dummy prefix
  ["2001::", 23], // IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID, AMT, AS112, ...
  ["2001:db8::", 32], // documentation
  ["2620:4f:8000::", 48], // direct delegation AS112
  ["3fff::", 20], // documentation
  ["5f00::", 16], // segment routing (SRv6) SIDs
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

/** IPv6 ranges whose addresses lead to an IPv4 address: internal when that address is. */
const IPV4_CARRIERS: ReadonlyArray<{ range: Range; ipv4: (address: bigint) => number }> = [
  { range: ["::ffff:0:0", 96], ipv4: (a) => Number(a & 0xffffffffn) }, // IPv4-mapped
  { range: ["::ffff:0:0:0", 96], ipv4: (a) => Number(a & 0xffffffffn) }, // IPv4-translated (SIIT)
  { range: ["64:ff9b::", 96], ipv4: (a) => Number(a & 0xffffffffn) }, // NAT64 well-known prefix
  { range: ["2002::", 16], ipv4: (a) => Number((a >> 80n) & 0xffffffffn) }, // 6to4
];

function ipv4Number(address: string): number {
  return address.split(".").reduce((value, part) => value * 256 + Number(part), 0);
}

/** The 128-bit value of a valid IPv6 address (a `%zone` suffix ignored, a dotted IPv4 tail allowed). */
function ipv6Number(address: string): bigint {
  let text = address.split("%")[0] as string;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4Number(dotted[1] as string);
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? (text.split("::") as [string, string]) : [text, undefined];
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

const ipv4Ranges = IPV4_SPECIAL.map(([network, prefix]) => ({ network: ipv4Number(network), prefix }));
const ipv6Ranges = IPV6_SPECIAL.map(([network, prefix]) => ({ network: ipv6Number(network), prefix }));

function inIpv4Range(value: number, range: { network: number; prefix: number }): boolean {
  const shift = 32 - range.prefix;
  return Math.floor(value / 2 ** shift) === Math.floor(range.network / 2 ** shift);
}

function inIpv6Range(value: bigint, network: bigint, prefix: number): boolean {
  const shift = BigInt(128 - prefix);
  return value >> shift === network >> shift;
}

function isSpecialIpv4(value: number): boolean {
  return ipv4Ranges.some((range) => inIpv4Range(value, range));
}

/** Whether an IP address (without brackets) is in a special-purpose range or leads to one. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return isSpecialIpv4(ipv4Number(address));
  if (family !== 6) return false;
  const value = ipv6Number(address);
  for (const carrier of IPV4_CARRIERS) {
    const [network, prefix] = carrier.range;
    if (inIpv6Range(value, ipv6Number(network), prefix)) return isSpecialIpv4(carrier.ipv4(value));
  }
  return ipv6Ranges.some((range) => inIpv6Range(value, range.network, range.prefix));
}
