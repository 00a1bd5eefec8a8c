/** Jayway's PathNotFoundException / InvalidPathException; AWS reports it as "Invalid path '<path>' : <message>". */
export class PathEvaluationError extends Error {
  override readonly name = "PathEvaluationError";
}
