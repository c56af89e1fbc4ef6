import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../apiserver/types.js";
import { buildRevision } from "./connector-revisions.js";
import { resolveConnectorVersion } from "./connector-version-resolution.js";

function revision(version: string, deleted = false): KubeObject {
  const built = buildRevision({
    connector: {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "ClusterConnector",
      metadata: { name: "github", uid: "u1" },
      spec: { displayName: "GitHub", category: "itops", version, maturity: "stable" },
    },
    kind: "ClusterConnector",
    namespace: "switchboard-system",
    revision: 1,
  });
  if (deleted) built.metadata.deletionTimestamp = "2026-01-01T00:00:00Z";
  return built;
}

describe("resolveConnectorVersion", () => {
  const installed = ["1.0.0", "1.2.0", "1.10.1", "2.0.0", "2.1.0-rc.1"].map((v) => revision(v));

  it.each([
    ["^1.0", "1.10.1"],
    ["~1.2", "1.2.0"],
    ["1.0.0", "1.0.0"],
    [">=1.0.0 <2", "1.10.1"],
    ["*", "2.1.0-rc.1"],
    ["2.x", "2.1.0-rc.1"],
  ])("resolves %s to the highest installed match, %s", (range, version) => {
    expect(resolveConnectorVersion(installed, range, undefined).resolved?.version).toBe(version);
  });

  it("names the installed versions, newest first, when none matches", () => {
    expect(resolveConnectorVersion(installed, "^3", undefined)).toEqual({
      resolved: undefined,
      installed: ["2.1.0-rc.1", "2.0.0", "1.10.1", "1.2.0", "1.0.0"],
    });
  });

  it("keeps a deleted version for the Integrations pinned to it, and resolves nothing new to it", () => {
    const withDeleted = [revision("1.0.0"), revision("1.1.0", true)];
    expect(resolveConnectorVersion(withDeleted, "^1", "1.1.0").resolved?.version).toBe("1.1.0");
    expect(resolveConnectorVersion(withDeleted, "^1", "1.0.0").resolved?.version).toBe("1.0.0");
    expect(resolveConnectorVersion(withDeleted, "^1", undefined).resolved?.version).toBe("1.0.0");
  });

  it("reads the definition back with the maturity the revision's metadata carries", () => {
    const deprecated = revision("1.0.0");
    deprecated.metadata.labels = { ...deprecated.metadata.labels, "switchboard.dev/maturity": "deprecated" };
    deprecated.metadata.annotations = {
      ...deprecated.metadata.annotations,
      "switchboard.dev/deprecation": "move to 2.x",
    };
    const { resolved } = resolveConnectorVersion([deprecated], "*", undefined);
    expect(resolved?.spec.maturity).toBe("deprecated");
    expect(resolved?.spec.deprecation).toEqual({ message: "move to 2.x" });
    expect(resolved?.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });
});
