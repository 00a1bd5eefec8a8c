/** A failure the CLI reports as one line `NAME: message` and a non-zero exit, never a stack trace. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
