import { CliError } from "./cli-error.ts";
import { runCommand, runUsage } from "./commands/run.ts";
import { testCommand, testUsage } from "./commands/test.ts";
import { validateCommand, validateUsage } from "./commands/validate.ts";
import { type Output, processOutput } from "./io.ts";

const usage = ["usage:", `  ${runUsage}`, `  ${validateUsage}`, `  ${testUsage}`].join("\n");

/** Runs one CLI invocation and returns its exit code; errors are printed as `NAME: message`. */
export async function main(argv: string[], io: Output = processOutput): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "run":
        return await runCommand(args, io);
      case "validate":
        return validateCommand(args, io);
      case "test":
        return await testCommand(args, io);
      case undefined:
      case "help":
      case "--help":
        io.out(usage);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError("UnknownCommand", `unknown command '${command}'\n${usage}`);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.code}: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      io.err(`InvalidArguments: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
