import { describe, expect, it } from "vitest";
import type { KnownConnector } from "./known-connectors.js";
import { connectorName, findConnector, knownConnector } from "./known-connectors.js";

const manifest = (kind: string, name: string, version: string, namespace?: string) => ({
  apiVersion: "switchboard.dev/v1alpha1",
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { displayName: name, category: "itops", version },
});

const known = (kind: string, name: string, version: string, file: string, namespace?: string) =>
  knownConnector(manifest(kind, name, version, namespace), file) as KnownConnector;

describe("connectors an Integration may refer to", () => {
  it("knows valid Connectors and ClusterConnectors, a Connector in its namespace", () => {
    expect(known("ClusterConnector", "github", "1.0.0", "a.yaml")).toMatchObject({
      kind: "ClusterConnector",
      name: "github",
      namespace: undefined,
      file: "a.yaml",
    });
    expect(known("Connector", "inventory", "0.3.1", "b.yaml")).toMatchObject({ namespace: "default" });
  });

  it("passes over other kinds and invalid connectors", () => {
    expect(knownConnector({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } }, "s.yaml")).toBe(
      undefined,
    );
    expect(knownConnector({ ...manifest("ClusterConnector", "x", "1.0.0"), spec: {} }, "x.yaml")).toBe(
      undefined,
    );
  });

  const connectors = [
    known("ClusterConnector", "github", "1.0.0", "mine.yaml"),
    known("ClusterConnector", "github", "1.1.0", "catalog/github.yaml"),
    known("ClusterConnector", "github", "2.0.0", "catalog/github-2.yaml"),
    known("ClusterConnector", "github", "1.1.0", "catalog/copy.yaml"),
    known("Connector", "inventory", "0.3.1", "team.yaml", "team-a"),
  ];

  it("resolves the highest version in range, the first found of it", () => {
    expect(findConnector(connectors, { name: "github" }, "x")).toMatchObject({
      connector: { file: "catalog/github-2.yaml" },
    });
    expect(findConnector(connectors, { name: "github", version: "^1" }, "x")).toMatchObject({
      connector: { file: "catalog/github.yaml" },
    });
    expect(findConnector(connectors, { kind: "Connector", name: "inventory" }, "team-a")).toMatchObject({
      connector: { name: "inventory" },
    });
  });

  it("says which versions it found when none is in range, and none for another namespace or kind", () => {
    expect(findConnector(connectors, { name: "github", version: "^3" }, "x")).toEqual({
      connector: undefined,
      versions: ["2.0.0", "1.1.0", "1.0.0"],
    });
    expect(findConnector(connectors, { kind: "Connector", name: "inventory" }, "team-b")).toEqual({
      connector: undefined,
      versions: [],
    });
    expect(findConnector(connectors, { name: "inventory" }, "team-a")).toEqual({
      connector: undefined,
      versions: [],
    });
  });

  it("names a connector reference", () => {
    expect(connectorName({ name: "github" }, "a")).toBe('ClusterConnector "github"');
    expect(connectorName({ kind: "Connector", name: "inventory" }, "a")).toBe(
      'Connector "inventory" in namespace a',
    );
  });
});
