import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadManifests } from "../manifests/load-manifests.js";
import { validateManifest } from "./validate.js";

const switchboardKinds = (m: { object: { apiVersion: string } }) =>
  m.object.apiVersion.startsWith("switchboard.dev/");

describe("validateManifest (in process, offline)", () => {
  it("accepts every sample in config/samples and every catalog connector", async () => {
    const manifests = (await loadManifests(["config/samples", "connectors"])).filter(switchboardKinds);
    const kinds = new Set(manifests.map((m) => m.object.kind));
    expect([...kinds].sort()).toEqual([
      "ClusterConnector",
      "Connector",
      "Credential",
      "Integration",
      "IntegrationPolicy",
    ]);
    for (const { object, file } of manifests)
      expect(validateManifest(object), `${file} ${object.metadata.name ?? ""}`).toEqual({ ok: true });
  });

  it("has a sample file for every kind", async () => {
    expect((await readdir("config/samples")).sort()).toEqual(
      [
        "clusterconnector.yaml",
        "connector.yaml",
        "credential.yaml",
        "integration.yaml",
        "integrationpolicy.yaml",
      ].sort(),
    );
  });

  const integration = (spec: Record<string, unknown>) => ({
    apiVersion: "switchboard.dev/v1alpha1",
    kind: "Integration",
    metadata: { name: "x", namespace: "default" },
    spec: { connectorRef: { name: "github" }, ...spec },
  });

  it.each([
    ["a missing required field", { connectorRef: {} }, "spec.connectorRef.name", "required field is missing"],
    [
      "a value outside an enum",
      { connectorRef: { name: "github", kind: "Thing" } },
      "spec.connectorRef.kind",
      'must be one of "ClusterConnector", "Connector"',
    ],
    ["a wrong type", { replicas: "two" }, "spec.replicas", "must be of type integer"],
    [
      "a pattern mismatch",
      { delivery: { timeout: "ten seconds" } },
      "spec.delivery.timeout",
      "must match the pattern",
    ],
    ["an unknown field", { replica: 2 }, "spec.replica", "unknown field"],
    [
      "a field deep in a list",
      { flows: [{ name: "a", events: ["*"], target: { sink: { url: "ftp://x" } } }] },
      "spec.flows[0].target.sink.url",
      "must match the pattern",
    ],
  ])("rejects %s, naming the field", (_case, spec, path, message) => {
    const result = validateManifest(integration(spec));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toContainEqual({ path, message: expect.stringContaining(message) as string });
  });

  it("rejects an unknown kind or apiVersion with a message that names them", () => {
    expect(
      validateManifest({ apiVersion: "switchboard.dev/v1alpha1", kind: "Widget", metadata: {} }),
    ).toEqual({
      ok: false,
      errors: [
        {
          path: "kind",
          message: expect.stringContaining('"Widget" is not a switchboard.dev/v1alpha1 kind') as string,
        },
      ],
    });
    expect(validateManifest({ apiVersion: "v1", kind: "ConfigMap" })).toMatchObject({
      ok: false,
      errors: [{ path: "apiVersion" }],
    });
    expect(validateManifest("text")).toMatchObject({ ok: false });
  });
});
