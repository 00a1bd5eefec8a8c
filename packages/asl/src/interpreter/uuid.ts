/** A v4 UUID built from injected randomness, so the core stays deterministic under test. */
export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * A UUID determined by `key` (FNV-1a over four seeds): the same Map Run and item index always name the
 * same child workflow execution, so a redrive keeps its ARN.
 */
export function uuidFromKey(key: string): string {
  const words = [0x811c9dc5, 0x01000193, 0x2f1b3c4d, 0x5a6b7c8d].map((seed) => {
    let hash = seed >>> 0;
    for (let i = 0; i < key.length; i++) {
      hash ^= key.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash;
  });
  const s = words
    .map((w) => w.toString(16).padStart(8, "0"))
    .join("")
    .split("");
  s[12] = "4";
  s[16] = ((Number.parseInt(s[16] as string, 16) & 0x3) | 0x8).toString(16);
  const h = s.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
