import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubectl } from "../support/kubectl.js";

/** The README's embedded API server section, as a user runs it: the API server with the CRDs, then kubectl. */
describe("README: the embedded API server on its own (switchboard apiserver --crds crds), then kubectl", () => {
  let server: ChildProcessWithoutNullStreams;
  let kubeconfig: string;

  beforeAll(async () => {
    kubeconfig = join(await mkdtemp(join(tmpdir(), "switchboard-quickstart-")), "kubeconfig");
    server = spawn(process.execPath, [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "apiserver",
      "--port",
      "0",
      "--kubeconfig",
      kubeconfig,
      "--crds",
      "crds",
    ]);
    await new Promise<void>((resolve, reject) => {
      let out = "";
      server.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("kubeconfig written")) resolve();
      });
      server.on("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
  }, 30_000);
  afterAll(() => {
    server.kill("SIGTERM");
  });

  it("kubectl api-resources lists the five kinds", async () => {
    const result = await kubectl(kubeconfig, ["api-resources", "--api-group=switchboard.dev", "-o", "name"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n").sort()).toEqual([
      "clusterconnectors.switchboard.dev",
      "connectors.switchboard.dev",
      "credentials.switchboard.dev",
      "integrationpolicies.switchboard.dev",
      "integrations.switchboard.dev",
    ]);
  });

  it("kubectl apply --server-side -f config/samples/ creates every sample", async () => {
    const result = await kubectl(kubeconfig, ["apply", "--server-side", "-f", "config/samples/"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("integration.switchboard.dev/support-tickets serverside-applied");
    expect(result.stdout).toContain("clusterconnector.switchboard.dev/example-webhooks serverside-applied");
    expect(result.stdout).toContain("integrationpolicy.switchboard.dev/baseline serverside-applied");
  });

  it("kubectl get switchboard lists them through the category, with their columns", async () => {
    const result = await kubectl(kubeconfig, ["get", "switchboard"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/integration\.switchboard\.dev\/support-tickets\s+example-webhooks/);
    expect(result.stdout).toMatch(/credential\.switchboard\.dev\/example-api\s+bearer\s+example-api/);
    expect(result.stdout).toMatch(/NAME\s+DISPLAY NAME\s+CATEGORY\s+VERSION\s+MATURITY\s+READY\s+AGE/);
  });

  it("kubectl explain documents the fields", async () => {
    const result = await kubectl(kubeconfig, ["explain", "integration.spec.delivery.retry"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("maxAttempts");
    expect(result.stdout).toContain("Attempts in all, the first included.");
  });

  it("kubectl shows the server's validation error for a bad Integration, naming the field", async () => {
    const bad = JSON.stringify({
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Integration",
      metadata: { name: "bad", namespace: "default" },
      spec: { connectorRef: { name: "github", kind: "Somewhere" }, replicas: 100 },
    });
    const result = await kubectl(kubeconfig, ["apply", "--server-side", "-f", "-"], bad);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('spec.connectorRef.kind: Unsupported value: "Somewhere"');
    expect(result.stderr).toContain(
      "spec.replicas: Invalid value: 100: spec.replicas in body should be less than or equal to 50",
    );
  });
});
