import { describe, expect, it } from "vitest";
import { yamlManifests } from "./yaml-manifests.js";

describe("the objects of a manifest file", () => {
  it("gives one object per document, and each item of a List with its place", () => {
    const { manifests, diagnostics } = yamlManifests(
      "kind: Secret\n---\nkind: List\nitems:\n  - kind: A\n  - kind: B\n    spec: { x: 1 }\n",
      "m.yaml",
    );
    expect(diagnostics).toEqual([]);
    expect(manifests.map((m) => [m.at, m.object])).toEqual([
      ["", { kind: "Secret" }],
      ["items[0]", { kind: "A" }],
      ["items[1]", { kind: "B", spec: { x: 1 } }],
    ]);
    expect(manifests[2]?.locate("spec.x")).toEqual({ line: 7, column: 13 });
    expect(manifests[2]?.locate("")).toEqual({ line: 6, column: 5 });
  });

  it("reports YAML syntax errors as diagnostics of the file", () => {
    const { manifests, diagnostics } = yamlManifests("kind: A\nspec:\n\tx: 1\n", "bad.yaml");
    expect(manifests).toEqual([]);
    expect(diagnostics).toEqual([
      {
        file: "bad.yaml",
        line: 3,
        column: 1,
        path: "",
        message: "Tabs are not allowed as indentation",
        severity: "error",
      },
    ]);
  });
});
