/** A port given on the command line, or an error naming the flag. */
export function portOption(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${flag} must be a port number, not "${value}"`);
  return port;
}
