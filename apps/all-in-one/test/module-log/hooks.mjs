// A module customization hook (it runs on Node's loader thread): appends each loaded module's URL.
import { appendFileSync } from "node:fs";

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  const log = process.env.STEPWISE_MODULE_LOG;
  if (log) appendFileSync(log, `${url}\n`);
  return result;
}
