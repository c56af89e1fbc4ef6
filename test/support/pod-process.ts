// A container's process for the local executor's tests: serves its mounted files and its state on the
// port it is given, and fails on request. Run by Node directly (type stripping), no imports but node:.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";

const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
const root = process.env.SWITCHBOARD_ROOT ?? "/";
const read = (dir: string): Record<string, string> => {
  try {
    return Object.fromEntries(
      readdirSync(join(root, dir))
        .filter((name) => !name.startsWith("."))
        .map((name) => [name, readFileSync(join(root, dir, name), "utf8")]),
    );
  } catch {
    return {};
  }
};

createServer((request, response) => {
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  switch (request.url) {
    case "/readyz":
      return reply(200, { ok: true });
    case "/state":
      return reply(200, {
        pid: process.pid,
        args: process.argv.slice(2),
        env: { GREETING: process.env.GREETING },
        config: read("/etc/app"),
        secret: read("/var/run/secrets/app"),
        data: read("/var/lib/app"),
      });
    case "/write":
      writeFileSync(join(root, "/var/lib/app/kept"), String(process.pid));
      return reply(200, { ok: true });
    case "/crash":
      reply(200, { ok: true });
      setTimeout(() => process.exit(3), 10);
      return;
    default:
      return reply(404, { error: request.url });
  }
}).listen(port, "127.0.0.1", () => process.stdout.write(`listening on ${port}\n`));
process.on("SIGTERM", () => process.exit(0));
