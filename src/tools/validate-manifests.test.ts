import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageCatalog } from "./catalog-connectors.js";
import { UsageError } from "./usage-error.js";
import { validateManifests } from "./validate-manifests.js";

const integration = (flows: string, extra = "") => `apiVersion: switchboard.dev/v1alpha1
kind: Integration
metadata:
  name: repos
  namespace: default
spec:
  connectorRef:
    name: github
  config: {}${extra}
  flows:
${flows}`;

describe("validating manifest files", () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-validate-"));
    await writeFile(
      file("good.yaml"),
      integration(`    - name: opened
      events: ["issues.opened"]
      filter: "issue.state = 'open'"
      target: { action: create-issue-comment }
`),
    );
    await writeFile(
      file("bad.yaml"),
      `apiVersion: v1
kind: Namespace
metadata: { name: team-a }
---
${integration(
  `    - name: opened
      events: ["issues.opened"]
      filter: "issue.state = "
      target:
        action: add-nope
`,
  "\n  surprise: true",
)}`,
    );
    await writeFile(file("syntax.yaml"), "kind: Integration\nspec:\n\tflows: []\n");
    await writeFile(
      file("list.yaml"),
      `apiVersion: v1
kind: List
items:
  - apiVersion: switchboard.dev/v1alpha1
    kind: Credential
    metadata: { name: token }
    spec:
      type: bearer
`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("finds nothing wrong with the samples, the examples and the catalog; the sample policy applies to them", async () => {
    const report = await validateManifests({
      paths: ["config/samples", "examples", "connectors"],
      catalog: packageCatalog,
    });
    expect(report.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // The sample IntegrationPolicy's audit rule finds the example's experimental connector, as a warning.
    expect(report.diagnostics.map((d) => [d.policy, d.severity, d.message.split(":")[0]])).toEqual([
      ["baseline", "warning", "audit"],
    ]);
    expect(report.documents).toBeGreaterThan(10);
  });

  it("checks an Integration against a catalog connector", async () => {
    const report = await validateManifests({ paths: [file("good.yaml")], catalog: packageCatalog });
    expect(report).toEqual({ diagnostics: [], files: 1, documents: 1 });
  });

  it("places each problem at its field, schema errors first, skipping kinds that are not Switchboard's", async () => {
    const report = await validateManifests({ paths: [file("bad.yaml")], catalog: packageCatalog });
    expect(report.documents).toBe(2);
    expect(report.diagnostics).toEqual([
      {
        file: file("bad.yaml"),
        line: 14,
        column: 3,
        path: "spec.surprise",
        message: "unknown field",
        severity: "error",
      },
    ]);
  });

  it("checks flows once the schema passes: expressions compile, actions exist", async () => {
    await writeFile(
      file("flows.yaml"),
      integration(`    - name: opened
      events: ["issues.opened"]
      filter: "issue.state = "
      target:
        action: add-nope
`),
    );
    const report = await validateManifests({ paths: [file("flows.yaml")], catalog: packageCatalog });
    expect(report.diagnostics.map((d) => [d.line, d.column, d.path])).toEqual([
      [13, 7, "spec.flows[0].filter"],
      [15, 9, "spec.flows[0].target.action"],
    ]);
    expect(report.diagnostics[0]?.message).toMatch(/^flow "opened": filter does not compile at position/);
  });

  it("reports a syntax error with its position and goes on with the other files", async () => {
    const report = await validateManifests({
      paths: [file("syntax.yaml"), file("list.yaml")],
      catalog: false,
    });
    expect(report.diagnostics).toEqual([
      expect.objectContaining({ file: file("syntax.yaml"), line: 3, column: 1, path: "", severity: "error" }),
      {
        file: file("list.yaml"),
        line: 7,
        column: 5,
        path: "items[0].spec.secretRef",
        message: "required field is missing",
        severity: "error",
      },
    ]);
    expect(report).toMatchObject({ files: 2, documents: 1 });
  });

  it("looks for connectors in the given files only without the catalog", async () => {
    const report = await validateManifests({ paths: [file("good.yaml")], catalog: false });
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        line: 8,
        column: 5,
        path: "spec.connectorRef.name",
        message:
          'ClusterConnector "github" not found in the given files (the catalog is off): pass the file that defines it',
      }),
    ]);
    const withFile = await validateManifests({
      paths: [file("good.yaml"), "connectors/itops/github.yaml"],
      catalog: false,
    });
    expect(withFile.diagnostics).toEqual([]);
  });

  it("refuses a path that does not exist as a usage error", async () => {
    await expect(validateManifests({ paths: [file("nope.yaml")], catalog: false })).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});
