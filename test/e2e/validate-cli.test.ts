import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

describe("switchboard validate (the command)", () => {
  let dir: string;
  let bad: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-validate-cli-"));
    bad = join(dir, "bad.yaml");
    await writeFile(
      bad,
      `apiVersion: v1
kind: Namespace
metadata: { name: support }
---
apiVersion: switchboard.dev/v1alpha1
kind: Integration
metadata:
  name: support-tickets
spec:
  connectorRef:
    name: example-webhooks
  config:
    host: acme.other.com
  flows:
    - name: note-on-close
      events: ["ticket.closed"]
      filter: "ticket.priority = "
      target:
        action: add-nope
`,
    );
    await writeFile(join(dir, "syntax.yaml"), "kind: Integration\nspec:\n\tflows: []\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("finds the samples and the catalog valid, and exits 0", async () => {
    const { code, stdout } = await runCli(["validate", "config/samples", "connectors"]);
    expect(stdout).toMatch(/^no errors; \d+ documents checked\n$/);
    expect(code).toBe(0);
  });

  it("reports each error at its line and column like a compiler, goes on past a syntax error, and exits 1", async () => {
    const { code, stdout } = await runCli([
      "validate",
      bad,
      join(dir, "syntax.yaml"),
      "config/samples/clusterconnector.yaml",
    ]);
    expect(stdout.split("\n")).toEqual([
      `${bad}:13:5: error: spec.config.host: must match pattern "^[a-z0-9-]+\\.example\\.com$"`,
      expect.stringMatching(
        new RegExp(
          `^${bad.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:17:7: error: spec\\.flows\\[0\\]\\.filter: flow "note-on-close": filter does not compile at position \\d+: `,
        ),
      ),
      `${bad}:19:9: error: spec.flows[0].target.action: "add-nope" is not an action of ClusterConnector "example-webhooks" (its actions: add-note, get-current-user)`,
      `${join(dir, "syntax.yaml")}:3:1: error: Tabs are not allowed as indentation`,
      "4 errors in 2 files; 3 documents checked",
      "",
    ]);
    expect(code).toBe(1);
  });

  it("prints the problems as JSON with --output json", async () => {
    const { code, stdout } = await runCli([
      "validate",
      bad,
      "--output",
      "json",
      "--catalog",
      "config/samples",
    ]);
    const problems = JSON.parse(stdout) as unknown[];
    expect(problems).toHaveLength(3);
    expect(problems[0]).toEqual({
      file: bad,
      line: 13,
      column: 5,
      path: "spec.config.host",
      message: 'must match pattern "^[a-z0-9-]+\\.example\\.com$"',
      severity: "error",
    });
    expect(code).toBe(1);
  });

  it("exits 2 on usage errors, naming the file", async () => {
    const missing = await runCli(["validate", join(dir, "nope.yaml")]);
    expect(missing.stderr).toBe(`switchboard: ${join(dir, "nope.yaml")}: no such file or folder\n`);
    expect(missing.code).toBe(2);
    const none = await runCli(["validate"]);
    expect(none.stderr).toContain("missing required argument 'paths'");
    expect(none.code).toBe(2);
    const format = await runCli(["validate", bad, "--output", "yaml"]);
    expect(format.stderr).toContain('--output must be text or json, not "yaml"');
    expect(format.code).toBe(2);
  });

  it("has help with examples", async () => {
    const { code, stdout } = await runCli(["validate", "--help"]);
    expect(stdout).toContain("Examples:\n  switchboard validate config/samples/");
    expect(code).toBe(0);
  });
});
