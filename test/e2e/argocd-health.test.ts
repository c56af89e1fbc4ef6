import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderArgoCdCustomizations } from "../../src/packaging/argocd-customizations.js";

/** A JSON value as a Lua table constructor, as Argo CD hands objects to health scripts. */
function toLua(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `{${value.map(toLua).join(", ")}}`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `[${JSON.stringify(k)}] = ${toLua(v)}`)
    .join(", ")}}`;
}

/** Runs a health script with the real Lua 5.4 interpreter. */
function health(script: string, object: unknown): Promise<{ status: string; message: string }> {
  const program = `obj = ${toLua(object)}\nlocal hs = assert(loadfile(${JSON.stringify(script)}))()\nio.write(hs.status, "\\t", hs.message or "")`;
  return new Promise((resolve, reject) =>
    execFile("lua5.4", ["-e", program], (error, stdout, stderr) => {
      if (error) reject(new Error(`lua5.4: ${stderr || error.message}`));
      const [status = "", message = ""] = stdout.split("\t");
      resolve({ status, message });
    }),
  );
}

const ready = (status: string, reason: string, message = "") => ({ type: "Ready", status, reason, message });
const integration = (status: unknown, extra: Record<string, unknown> = {}) => ({
  apiVersion: "switchboard.dev/v1alpha1",
  kind: "Integration",
  metadata: { name: "events", generation: 2 },
  spec: { connectorRef: { name: "github" }, ...extra },
  ...(status ? { status } : {}),
});

describe("Argo CD health checks, run by lua5.4", () => {
  const shared = "config/argocd/health.lua";
  it.each([
    ["no status yet", integration(undefined), "Progressing", "Waiting for the Switchboard operator"],
    [
      "an older generation observed",
      integration({ observedGeneration: 1, conditions: [ready("True", "Succeeded")] }),
      "Progressing",
      "Waiting for the operator to observe generation 2",
    ],
    [
      "Ready",
      integration({
        observedGeneration: 2,
        conditions: [ready("True", "Succeeded", "1/1 runtime replicas ready")],
      }),
      "Healthy",
      "1/1 runtime replicas ready",
    ],
    [
      "rolling out",
      integration({
        observedGeneration: 2,
        conditions: [ready("False", "DeploymentNotReady", "0/1 runtime replicas ready")],
      }),
      "Progressing",
      "0/1 runtime replicas ready",
    ],
    [
      "a missing connector",
      integration({
        observedGeneration: 2,
        conditions: [ready("False", "ConnectorNotFound", "ClusterConnector github not found")],
      }),
      "Degraded",
      "ClusterConnector github not found",
    ],
    [
      "stalled",
      integration({
        observedGeneration: 2,
        conditions: [
          ready("False", "InvalidConfig", "x"),
          { type: "Stalled", status: "True", reason: "InvalidConfig", message: "config.host is required" },
        ],
      }),
      "Degraded",
      "config.host is required",
    ],
    [
      "suspended",
      integration({ observedGeneration: 2, conditions: [ready("True", "Succeeded")] }, { suspend: true }),
      "Suspended",
      "Suspended: spec.suspend is true",
    ],
  ])("Integration, %s", async (_name, object, status, message) => {
    expect(await health(shared, object)).toEqual({ status, message });
  });

  it("Credentials and connectors read the same way", async () => {
    const credential = {
      kind: "Credential",
      metadata: { generation: 1 },
      spec: { type: "bearer" },
      status: {
        observedGeneration: 1,
        conditions: [ready("False", "SecretNotFound", "Secret api not found")],
      },
    };
    expect(await health(shared, credential)).toEqual({ status: "Degraded", message: "Secret api not found" });
    const expiring = {
      ...credential,
      status: { observedGeneration: 1, conditions: [ready("True", "Expiring", "expires in 6 days")] },
    };
    expect((await health(shared, expiring)).status).toBe("Healthy");
    const connector = {
      kind: "ClusterConnector",
      metadata: { generation: 3 },
      spec: {},
      status: { observedGeneration: 3, conditions: [ready("False", "VersionModified", "1.0.0 changed")] },
    };
    expect((await health(shared, connector)).status).toBe("Degraded");
  });

  it("IntegrationPolicy: Healthy with the audit's count, Degraded with an invalid rule", async () => {
    const script = "config/argocd/health-integrationpolicy.lua";
    expect(await health(script, { kind: "IntegrationPolicy", spec: {} })).toEqual({
      status: "Healthy",
      message: "No audit yet",
    });
    expect(
      await health(script, {
        kind: "IntegrationPolicy",
        spec: {},
        status: { audit: { totalViolations: 3 } },
      }),
    ).toEqual({
      status: "Healthy",
      message: "3 violation(s) at the last audit",
    });
    expect(
      (
        await health(script, {
          kind: "IntegrationPolicy",
          status: { conditions: [ready("False", "InvalidRule", "bad glob")] },
        })
      ).status,
    ).toBe("Degraded");
  });

  it("argocd-cm.yaml is what npm run generate writes from the scripts", async () => {
    expect(await readFile("config/argocd/argocd-cm.yaml", "utf8")).toBe(await renderArgoCdCustomizations());
  });
});
