/** Decodes an object body as UTF-8 chunk by chunk (a character split across chunks stays whole). */
import { DatasetFormatError } from "./format-error.ts";

export async function* utf8Chunks(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  // The default decoder drops a leading byte order mark, as spreadsheet exports often write one.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of body) {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield text;
    }
    const tail = decoder.decode();
    if (tail.length > 0) yield tail;
  } catch (error) {
    if (error instanceof TypeError && /encoded data was not valid|invalid/i.test(error.message)) {
      throw new DatasetFormatError("the object is not UTF-8 text");
    }
    throw error;
  }
}
