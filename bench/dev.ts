/**
 * Benchmark of local mode's start: `switchboard dev` (as built in dist/) from the command to every
 * example Integration Ready, run several times, next to the embedded API server alone starting to a
 * written kubeconfig in the same run (the floor: a Node process with the CLI and the CRDs loaded).
 *
 * Prints: the median, fastest and slowest start of each, and their ratio.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const runs = Number(process.env.RUNS ?? 5);

/** Seconds from spawning the CLI to `line` in its output; the process is stopped with SIGINT after. */
async function timeTo(args: string[], line: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-bench-dev-"));
  const started = performance.now();
  const child = spawn(process.execPath, [
    "dist/cli/main.js",
    ...args,
    "--kubeconfig",
    join(dir, "kubeconfig"),
  ]);
  let output = "";
  const seconds = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(line)) resolve((performance.now() - started) / 1000);
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`exited with ${code} before "${line}":\n${output}`)));
  });
  if (args[0] === "dev" && !/(\d+) of \1 Integration\(s\) Ready/.test(output))
    throw new Error(`not every Integration became Ready:\n${output}`);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  await exited;
  await rm(dir, { recursive: true, force: true });
  return seconds;
}

function summary(samples: number[]): { median: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

async function main(): Promise<void> {
  const dev: number[] = [];
  const apiserver: number[] = [];
  for (let i = 0; i < runs; i++) {
    apiserver.push(await timeTo(["apiserver", "--port", "0", "--crds", "crds"], "kubeconfig written"));
    dev.push(await timeTo(["dev", "--port", "0"], "Switchboard is running locally"));
  }
  const a = summary(apiserver);
  const d = summary(dev);
  const format = (s: { median: number; min: number; max: number }) =>
    `median ${s.median.toFixed(2)} s (fastest ${s.min.toFixed(2)}, slowest ${s.max.toFixed(2)})`;
  console.log(`runs: ${runs}`);
  console.log(`API server alone, start to kubeconfig written:        ${format(a)}`);
  console.log(`switchboard dev, start to every example Ready:        ${format(d)}`);
  console.log(`ratio (dev / API server alone, medians):               ${(d.median / a.median).toFixed(2)}`);
}

await main();
