/** IP addresses and CIDR blocks as number ranges, for `cidr` matching (IPv4 and IPv6). */
import { isIPv4, isIPv6 } from "node:net";
import type { IpRange } from "./pattern-types.ts";

export function parseAddress(text: string): { version: 4 | 6; value: bigint } | undefined {
  if (isIPv4(text)) {
    return { version: 4, value: text.split(".").reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n) };
  }
  if (!isIPv6(text)) return undefined;
  let address = text;
  // An IPv4 tail (::ffff:10.0.0.1) is two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (v4) {
    const n = Number(parseAddress(v4)?.value ?? 0n);
    address = `${address.slice(0, -v4.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = "", tail] = address.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  return { version: 6, value: groups.reduce((n, group) => (n << 16n) | BigInt(Number.parseInt(group, 16)), 0n) };
}

/** `10.0.0.0/24`, `2001:db8::/32`, or a single address; undefined when it is neither. */
export function parseCidr(text: string): IpRange | undefined {
  const [address = "", bits, ...rest] = text.split("/");
  if (rest.length > 0) return undefined;
  const parsed = parseAddress(address);
  if (!parsed) return undefined;
  const width = parsed.version === 4 ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = bits === undefined ? width : Number(bits);
  if (prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  const first = (parsed.value >> hostBits) << hostBits;
  return { version: parsed.version, first, last: first + (1n << hostBits) - 1n };
}

export function inRange(range: IpRange, text: string): boolean {
  const address = parseAddress(text);
  return address !== undefined && address.version === range.version && address.value >= range.first && address.value <= range.last;
}
