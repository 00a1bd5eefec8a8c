/** The commands that talk to a Stepwise server, by name, for main.ts. */
import type { Output } from "../../io.ts";
import {
  describeCommand,
  describeUsage,
  historyCommand,
  historyUsage,
  stopCommand,
  stopUsage,
  tailCommand,
  tailUsage,
} from "./execution-commands.ts";
import { startCommand, startUsage } from "./start-command.ts";
import { createCommand, createUsage, listCommand, listUsage, updateCommand, updateUsage } from "./state-machine-commands.ts";

export interface RemoteCommand {
  usage: string;
  run(args: string[], io: Output): Promise<number>;
}

export const remoteCommands: Readonly<Record<string, RemoteCommand>> = {
  create: { usage: createUsage, run: createCommand },
  update: { usage: updateUsage, run: updateCommand },
  list: { usage: listUsage, run: listCommand },
  start: { usage: startUsage, run: startCommand },
  stop: { usage: stopUsage, run: stopCommand },
  describe: { usage: describeUsage, run: describeCommand },
  history: { usage: historyUsage, run: historyCommand },
  tail: { usage: tailUsage, run: tailCommand },
};
