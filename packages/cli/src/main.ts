import { CliError } from "./cli-error.ts";
import { remoteCommands } from "./commands/remote/remote-commands.ts";
import { DEFAULT_ENDPOINT } from "./commands/remote/remote-options.ts";
import { runCommand, runUsage } from "./commands/run.ts";
import { testCommand, testUsage } from "./commands/test.ts";
import { validateCommand, validateUsage } from "./commands/validate.ts";
import { type Output, processOutput } from "./io.ts";

const usage = [
  "usage:",
  `  ${runUsage}`,
  `  ${validateUsage}`,
  `  ${testUsage}`,
  "",
  `against a Stepwise server (--endpoint or STEPWISE_ENDPOINT, default ${DEFAULT_ENDPOINT}; --token or STEPWISE_TOKEN):`,
  ...Object.values(remoteCommands).map((c) => `  ${c.usage}`),
].join("\n");

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
        if (Object.hasOwn(remoteCommands, command)) return await (remoteCommands[command] as (typeof remoteCommands)[string]).run(args, io);
        throw new CliError("UnknownCommand", `unknown command '${command}'\n${usage}`);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.code}: ${e.message}`);
      return e.exitCode;
    }
    // node:util parseArgs: an unknown option, a missing option value, and the like.
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS_")) {
      io.err(`InvalidArguments: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
