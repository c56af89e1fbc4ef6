import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customResourceDefinitions } from "../../src/api/custom-resource-definitions.js";
import type { KubeObject } from "../../src/apiserver/types.js";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";

describe("switchboard operator (the command)", () => {
  let api: ApiServerFixture;
  beforeAll(async () => {
    api = await startApiServer({
      crds: customResourceDefinitions() as unknown as KubeObject[],
      namespaces: ["switchboard-system"],
    });
  });
  afterAll(() => api.close());

  it("reconciles connectors, holds the Lease, and releases it on SIGTERM", async () => {
    const operator = spawn(process.execPath, [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "operator",
      "--kubeconfig",
      api.kubeconfigPath,
      "--health-port",
      "0",
      "--identity",
      "operator-cli",
    ]);
    let stderr = "";
    operator.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => operator.on("exit", resolve));
    try {
      const applied = await kubectl(api.kubeconfigPath, [
        "apply",
        "--server-side",
        "-R",
        "-f",
        "connectors/",
      ]);
      expect(applied.code, applied.stderr).toBe(0);
      await eventually(async () => {
        const result = await kubectl(api.kubeconfigPath, [
          "get",
          "clusterconnector",
          "github",
          "--no-headers",
        ]);
        expect(result.stdout).toMatch(/github\s+GitHub\s+itops\s+1\.1\.0\s+beta\s+True/);
      }, 15_000);
      const lease = await kubectl(api.kubeconfigPath, [
        "get",
        "lease",
        "switchboard-operator",
        "-n",
        "switchboard-system",
        "-o",
        "jsonpath={.spec.holderIdentity}",
      ]);
      expect(lease.stdout).toBe("operator-cli");
    } finally {
      operator.kill("SIGTERM");
    }
    expect(await exited, stderr).toBe(0);
    const released = await kubectl(api.kubeconfigPath, [
      "get",
      "lease",
      "switchboard-operator",
      "-n",
      "switchboard-system",
      "-o",
      "jsonpath={.spec.holderIdentity}",
    ]);
    expect(released.stdout).toBe("");
  });

  it.each([
    [["--health-port", "x"], '--health-port must be a port number, not "x"'],
    [
      ["--runtime-image-pull-policy", "Sometimes"],
      '--runtime-image-pull-policy must be one of Always, IfNotPresent, Never, not "Sometimes"',
    ],
    [
      ["--runtime-resources", '{"request":{}}'],
      '--runtime-resources must be an object with "requests" and/or "limits", not "request"',
    ],
  ])("refuses %j with a clear error", async (flags, message) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "operator", ...flags]);
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(message);
  });
});
