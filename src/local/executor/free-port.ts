import { createServer } from "node:net";

/**
 * A port nobody listens on now: the one asked for when it is free, else one the kernel picks. The port
 * is released before it is used, so another process could take it in between; callers that bind it
 * themselves should retry.
 */
export async function freePort(host: string, preferred = 0): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(undefined));
      server.listen(port, host, () => {
        const address = server.address();
        const chosen = typeof address === "object" && address ? address.port : undefined;
        server.close(() => resolve(chosen));
      });
    });
  if (preferred > 0) {
    const port = await tryPort(preferred);
    if (port !== undefined) return port;
  }
  const port = await tryPort(0);
  if (port === undefined) throw new Error(`no free port on ${host}`);
  return port;
}
