import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubectl } from "../support/kubectl.js";
import { widgetCrd } from "../support/widget-crd.js";

const cli = ["--import", "tsx", "src/cli/main.ts"];

function run(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...cli, ...args], { env: { ...process.env, NO_COLOR: "1" } });
}

function output(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("switchboard apiserver (standalone)", () => {
  let dir: string;
  let kubeconfig: string;
  let server: ChildProcessWithoutNullStreams;
  let exited: Promise<{ code: number | null; stdout: string; stderr: string }>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-cli-"));
    kubeconfig = join(dir, "kubeconfig");
    const crds = join(dir, "crds");
    await import("node:fs/promises").then((fs) => fs.mkdir(crds));
    await writeFile(join(crds, "widgets.yaml"), yaml.dump(widgetCrd()));
    server = run(["apiserver", "--port", "0", "--kubeconfig", kubeconfig, "--crds", crds]);
    exited = output(server);
    await new Promise<void>((resolve, reject) => {
      server.stdout.on("data", (c: Buffer) => {
        if (c.toString().includes("kubeconfig written")) resolve();
      });
      server.on("exit", () => reject(new Error("the API server exited before it was ready")));
    });
  }, 30_000);
  afterAll(() => {
    server.kill("SIGKILL");
  });

  it("prints where it listens, writes a kubeconfig kubectl uses, and installs the CRDs given", async () => {
    const config = yaml.load(await readFile(kubeconfig, "utf8")) as {
      clusters: { cluster: { server: string } }[];
    };
    expect(config.clusters[0]?.cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const crds = await kubectl(kubeconfig, ["get", "crds", "-o", "name"]);
    expect(crds.code, crds.stderr).toBe(0);
    expect(crds.stdout.trim()).toBe(
      "customresourcedefinition.apiextensions.k8s.io/widgets.example.switchboard.dev",
    );
  });

  it("accepts faults over HTTP and reports request statistics", async () => {
    const set = await kubectl(
      kubeconfig,
      ["create", "--raw", "/_switchboard/faults", "-f", "-"],
      JSON.stringify({ failNext: { verb: "list", resource: "widgets", count: 1, code: 500 } }),
    );
    expect(set.code, set.stderr).toBe(0);
    const failed = await kubectl(kubeconfig, ["get", "widgets"]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain("injected fault: 500");
    const stats = await kubectl(kubeconfig, ["get", "--raw", "/_switchboard/stats"]);
    expect(JSON.parse(stats.stdout).requests["list widgets.example.switchboard.dev 500"]).toBe(1);
  });

  it("stops cleanly on SIGTERM", async () => {
    server.kill("SIGTERM");
    const result = await exited;
    expect(result.code).toBe(0);
  });

  it.each([
    [["apiserver", "--port", "not-a-port"], '--port must be a port number, not "not-a-port"'],
    [
      ["apiserver", "--port", "0", "--crds", "package.json"],
      "package.json: document 1 has no apiVersion or kind",
    ],
    [["apiserver", "--port", "0", "--crds", "no/such/folder"], "no/such/folder"],
  ])("refuses %j with a clear error", async (args, message) => {
    const result = await output(run(args));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it("--help lists the commands with examples", async () => {
    const result = await output(run(["apiserver", "--help"]));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Examples:");
    expect(result.stdout).toContain("--kubeconfig <file>");
  });
});
