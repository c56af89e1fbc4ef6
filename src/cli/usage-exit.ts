import type { Command } from "commander";

/**
 * Makes a command's own usage errors (a missing argument, an unknown option) exit with 2, as its
 * `UsageError`s do, rather than commander's 1; help still exits with 0.
 */
export function exitTwoOnUsageErrors(command: Command): Command {
  return command.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
}
