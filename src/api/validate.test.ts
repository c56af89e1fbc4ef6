import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadManifests } from "../manifests/load-manifests.js";
import { validateManifest } from "./validate.js";

const switchboardKind = (m: { object: { apiVersion: string } }) =>
  m.object.apiVersion.startsWith("switchboard.dev/");

describe("validateManifest (in process, offline)", () => {
  it("accepts every sample in config/samples and every catalog connector", async () => {
    const manifests = (await loadManifests(["config/samples", "connectors"])).filter(switchboardKind);
    expect([...new Set(manifests.map((m) => m.object.kind))].sort()).toEqual([
      "ClusterConnector",
      "Connector",
      "Credential",
      "Integration",
      "IntegrationPolicy",
    ]);
    for (const { object, file } of manifests)
      expect(validateManifest(object), `${file} ${object.metadata.name ?? ""}`).toEqual({ ok: true });
  });

  it("has a sample file for every kind, and the Secrets apart", async () => {
    expect((await readdir("config/samples")).sort()).toEqual([
      "clusterconnector.yaml",
      "connector.yaml",
      "credential-secret.yaml",
      "credential.yaml",
      "integration.yaml",
      "integrationpolicy.yaml",
    ]);
  });

  const integration = (spec: Record<string, unknown>) => ({
    apiVersion: "switchboard.dev/v1alpha1",
    kind: "Integration",
    metadata: { name: "x", namespace: "default" },
    spec: { connectorRef: { name: "github" }, ...spec },
  });
  const flow = (target: Record<string, unknown>) => ({ flows: [{ name: "a", events: ["*"], target }] });

  it.each([
    ["a missing required field", { connectorRef: {} }, "spec.connectorRef.name", "required field is missing"],
    [
      "a value outside an enum",
      { connectorRef: { name: "github", kind: "Thing" } },
      "spec.connectorRef.kind",
      'must be one of "ClusterConnector", "Connector"',
    ],
    ["a wrong type", { replicas: "two" }, "spec.replicas", "must be of type integer"],
    ["a number out of range", { replicas: 51 }, "spec.replicas", "must be <= 50"],
    [
      "a pattern mismatch",
      { delivery: { timeout: "ten seconds" } },
      "spec.delivery.timeout",
      "must match the pattern",
    ],
    ["an unknown field", { replica: 2 }, "spec.replica", "unknown field"],
    [
      "a field deep in a list",
      flow({ action: "Add Note" }),
      "spec.flows[0].target.action",
      "must match the pattern",
    ],
    [
      "a bad sink URL",
      flow({ sink: { url: "ftp://x" } }),
      "spec.flows[0].target.sink.url",
      "must match the pattern",
    ],
    [
      "a quantity that is neither an integer nor a string",
      { resources: { limits: { memory: true } } },
      "spec.resources.limits.memory",
      "must be an integer or a string",
    ],
    [
      "a malformed quantity",
      { resources: { limits: { memory: "lots" } } },
      "spec.resources.limits.memory",
      "must match the pattern",
    ],
    [
      "two flows with one name",
      { flows: [1, 2].map(() => ({ name: "a", events: ["*"], target: { action: "x" } })) },
      "spec.flows",
      '[1] repeats [0] (name "a")',
    ],
    [
      "a repeated value in a set",
      { egress: { allowedHosts: ["a.example.com", "a.example.com"] } },
      "spec.egress.allowedHosts",
      "must not repeat a value",
    ],
  ])("rejects %s, naming the field", (_case, spec, path, message) => {
    const result = validateManifest(integration(spec));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it("says what is wrong with a list's or a string's length", () => {
    expect(
      validateManifest(integration({ flows: [{ name: "a", events: [], target: { action: "a" } }] })),
    ).toEqual({
      ok: false,
      errors: [{ path: "spec.flows[0].events", message: "must have at least 1 item(s)" }],
    });
    expect(validateManifest(integration({ webhook: { path: `/${"a".repeat(300)}` } }))).toEqual({
      ok: false,
      errors: [{ path: "spec.webhook.path", message: "must be at most 256 character(s) long" }],
    });
  });

  it("reports every problem at once", () => {
    const result = validateManifest(
      integration({ replicas: -1, suspend: "yes", connectorRef: { kind: "X" } }),
    );
    expect(result.ok || result.errors.map((e) => e.path).sort()).toEqual([
      "spec.connectorRef.kind",
      "spec.connectorRef.name",
      "spec.replicas",
      "spec.suspend",
    ]);
  });

  it("refuses a secret value written into a Credential, saying where it belongs", () => {
    const result = validateManifest({
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Credential",
      metadata: { name: "c" },
      spec: { type: "basic", secretRef: { name: "s" }, password: "hunter2" },
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: "spec.password",
          message: "secret values never go in a Credential: put them in the Secret named by spec.secretRef",
        },
      ],
    });
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });

  it("evaluates the CEL rules once the schema passes, naming the field they name", () => {
    expect(
      validateManifest(integration(flow({ action: "a", sink: { url: "https://x.example.com" } }))),
    ).toEqual({
      ok: false,
      errors: [
        { path: "spec.flows[0].target", message: "a target is exactly one of action, integration or sink" },
      ],
    });
    const connector = {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "ClusterConnector",
      metadata: { name: "c" },
      spec: { displayName: "C", category: "custom", version: "1.0.0", healthCheck: { action: "ping" } },
    };
    expect(validateManifest(connector)).toEqual({
      ok: false,
      errors: [
        {
          path: "spec.healthCheck.action",
          message: "healthCheck.action must name one of the connector's actions",
        },
      ],
    });
    // As kube-apiserver does, rules wait until the schema errors are fixed.
    expect(validateManifest({ ...connector, spec: { ...connector.spec, version: "one" } })).toMatchObject({
      ok: false,
      errors: [{ path: "spec.version" }],
    });
  });

  it("checks the name rules a kind sets and requires a name", () => {
    const bad = { ...integration({}), metadata: { name: "1-starts-with-a-digit" } };
    expect(validateManifest(bad)).toMatchObject({ ok: false, errors: [{ path: "metadata.name" }] });
    expect(validateManifest({ ...integration({}), metadata: {} })).toEqual({
      ok: false,
      errors: [{ path: "metadata.name", message: "required field is missing" }],
    });
  });

  it("rejects an unknown kind or apiVersion with a message that names them", () => {
    expect(
      validateManifest({ apiVersion: "switchboard.dev/v1alpha1", kind: "Widget", metadata: {} }),
    ).toEqual({
      ok: false,
      errors: [
        {
          path: "kind",
          message: expect.stringContaining("switchboard.dev/v1alpha1/Widget is not a Switchboard kind"),
        },
      ],
    });
    expect(validateManifest({ apiVersion: "v1", kind: "ConfigMap", metadata: {} })).toEqual({
      ok: false,
      errors: [
        { path: "apiVersion", message: expect.stringContaining("v1/ConfigMap is not a Switchboard kind") },
      ],
    });
    expect(validateManifest({ apiVersion: "switchboard.dev/v1", kind: "Integration" })).toMatchObject({
      ok: false,
      errors: [{ path: "apiVersion", message: expect.stringContaining("switchboard.dev/v1 is not served") }],
    });
    expect(validateManifest({ kind: "Integration" })).toEqual({
      ok: false,
      errors: [{ path: "apiVersion", message: "required field is missing" }],
    });
    expect(validateManifest("text")).toMatchObject({ ok: false, errors: [{ path: "" }] });
  });
});
