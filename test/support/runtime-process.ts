import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

/**
 * `switchboard runtime` as a process, resolved once it logs that it listens, with the ports it chose.
 * `entry` is how to start the CLI: the built one (`dist/cli/main.js`) or the sources through tsx.
 */
export function startRuntimeProcess(
  args: string[],
  entry: "dist" | "source" = "source",
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; port: number; adminPort: number }> {
  const cli = entry === "dist" ? ["dist/cli/main.js"] : ["--import", "tsx", "src/cli/main.ts"];
  const child = spawn(process.execPath, [...cli, "runtime", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  return new Promise((resolve, reject) => {
    let buffer = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffer += chunk;
      const line = buffer.split("\n").find((l) => l.includes('"runtime started"'));
      if (line) {
        const { port, adminPort } = JSON.parse(line) as { port: number; adminPort: number };
        resolve({ child, port, adminPort });
      }
    });
    child.once("exit", (code) => reject(new Error(`runtime exited with ${code}: ${stderr}`)));
  });
}
