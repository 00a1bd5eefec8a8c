/** STEPWISE_ACCESS_KEYS: `ACCESS_KEY_ID:SECRET,ACCESS_KEY_ID2:SECRET2`. */
export function parseAccessKeys(raw: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const entry of raw.split(",")) {
    const trimmed = entry.trim();
    if (trimmed === "") continue;
    const at = trimmed.indexOf(":");
    if (at <= 0 || at === trimmed.length - 1)
      throw new Error("Invalid configuration: STEPWISE_ACCESS_KEYS entries must be ACCESS_KEY_ID:SECRET");
    keys.set(trimmed.slice(0, at), trimmed.slice(at + 1));
  }
  return keys;
}
