import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl binary against a kubeconfig; never throws on a non-zero exit. */
export function kubectl(kubeconfig: string, args: string[], stdin?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "kubectl",
      ["--kubeconfig", kubeconfig, ...args],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new Error(`kubectl could not run: ${error.message}`, { cause: error }));
          return;
        }
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** A long-running kubectl (e.g. `get -w`) whose output lines are collected as they come. */
export function kubectlStream(
  kubeconfig: string,
  args: string[],
): {
  lines: string[];
  process: ChildProcess;
  waitForLine: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
} {
  const child = spawn("kubectl", ["--kubeconfig", kubeconfig, ...args]);
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let buffer = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  return {
    lines,
    process: child,
    waitForLine: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${String(pattern)} in:\n${lines.join("\n")}`)),
          timeoutMs,
        );
        const check = (): void => {
          const line = lines.find((l) => pattern.test(l));
          if (line !== undefined) {
            clearTimeout(timer);
            resolve(line);
          } else waiters.push(check);
        };
        check();
      }),
  };
}
