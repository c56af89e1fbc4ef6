/**
 * A command called in a way it cannot run: a file that does not exist, an option it needs. The CLI
 * prints the message, which names the fix, and exits with 2 rather than 1.
 */
export class UsageError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
