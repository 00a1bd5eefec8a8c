/** A dataset that does not parse: the message says where (line, or character position) and what. */
export class DatasetFormatError extends Error {
  override readonly name = "DatasetFormatError";
}

/**
 * An item whose text is already longer than any item may be: refused before it is held whole.
 * `where` names its line when the format has lines.
 */
export class OversizedItem extends Error {
  override readonly name = "OversizedItem";
  constructor(readonly where: string | undefined) {
    super(`an item${where !== undefined ? ` on ${where}` : ""} is too large`);
  }
}
