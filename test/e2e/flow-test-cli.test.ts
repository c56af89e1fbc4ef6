import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

describe("switchboard flow test (the command)", () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  const sample = ["config/samples/integration.yaml", "--connector", "config/samples/clusterconnector.yaml"];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-flow-test-cli-"));
    await writeFile(
      file("closed.json"),
      JSON.stringify({ ticket: { id: "T-1042", priority: "high", closedBy: "ada@example.com" } }),
    );
    await writeFile(file("low.json"), JSON.stringify({ ticket: { id: "T-7", priority: "low" } }));
    await writeFile(
      file("github.yaml"),
      `apiVersion: switchboard.dev/v1alpha1
kind: Integration
metadata:
  name: repos
spec:
  connectorRef:
    name: github
  flows:
    - name: broken
      events: ["issues.*"]
      transform: "$error('cannot comment on ' & $string(issue.number))"
      target: { action: create-issue-comment }
`,
    );
    await writeFile(
      file("issue.json"),
      JSON.stringify({ action: "opened", issue: { number: 1347 }, repository: { full_name: "acme/api" } }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("shows each flow's steps and what its target would receive, and exits 0", async () => {
    const { code, stdout } = await runCli([
      "flow",
      "test",
      ...sample,
      "--event",
      file("closed.json"),
      "--type",
      "ticket.closed",
    ]);
    expect(stdout).toContain(
      'Integration default/support-tickets with ClusterConnector "example-webhooks" 1.0.0 (config/samples/clusterconnector.yaml)',
    );
    expect(stdout).toContain(
      "  flow note-on-close: matched (ticket.closed)\n    filter: ticket.priority = 'high' → true\n",
    );
    expect(stdout).toMatch(/ {4}→ action add-note, idempotency key [0-9a-f-]+:note-on-close, input:\n/);
    expect(stdout).toContain('"text": "Closed by ada@example.com"');
    expect(stdout).toContain("  flow to-audit-sink: matched (*)\n    normalized as cloudevents:\n");
    expect(stdout).toContain('"type": "com.example.ticket.closed"');
    expect(stdout).toContain(
      "    → sink POST https://audit.internal.example.com/events (cloudevents-structured)\n",
    );
    expect(stdout).toContain("        content-type: application/cloudevents+json; charset=utf-8\n");
    expect(stdout.trimEnd().split("\n").at(-1)).toBe(
      "2 would deliver, 0 filtered out, 0 not matched, 0 failed",
    );
    expect(code).toBe(0);
  });

  it("prints the dry run as JSON with --output json", async () => {
    const { code, stdout } = await runCli([
      "flow",
      "test",
      ...sample,
      "--event",
      file("low.json"),
      "--type",
      "ticket.closed",
      "-o",
      "json",
    ]);
    const result = JSON.parse(stdout);
    expect(result.integration).toBe("default/support-tickets");
    expect(result.connector).toEqual({
      kind: "ClusterConnector",
      name: "example-webhooks",
      version: "1.0.0",
      file: "config/samples/clusterconnector.yaml",
    });
    expect(result.events[0].flows[0]).toEqual({
      flow: "note-on-close",
      events: ["ticket.closed"],
      matched: true,
      filter: { expression: "ticket.priority = 'high'", result: false, passed: false },
    });
    expect(result.events[0].flows[1].target).toMatchObject({
      kind: "sink",
      body: { type: "com.example.ticket.closed", data: { ticket: { id: "T-7", priority: "low" } } },
    });
    expect(result.summary).toEqual({ delivered: 1, filtered: 1, unmatched: 0, failed: 0 });
    expect(code).toBe(0);
  });

  it("exits 1 when a flow would fail, with the runtime's error", async () => {
    const { code, stdout } = await runCli([
      "flow",
      "test",
      file("github.yaml"),
      "--event",
      file("issue.json"),
      "--type",
      "issues.opened",
    ]);
    expect(stdout).toContain("  flow broken: matched (issues.*)\n    error: cannot comment on 1347\n");
    expect(code).toBe(1);
  });

  it("exits 2 naming the fix: a connector not found, a type only a header has, a missing payload", async () => {
    const connector = await runCli([
      "flow",
      "test",
      "config/samples/integration.yaml",
      "--event",
      file("closed.json"),
      "--type",
      "ticket.closed",
    ]);
    expect(connector.stderr).toBe(
      "switchboard: connector example-webhooks not found in config/samples/integration.yaml or the catalog; pass --connector <file>\n",
    );
    expect(connector.code).toBe(2);
    const type = await runCli(["flow", "test", ...sample, "--event", file("closed.json")]);
    expect(type.stderr).toContain(
      "the connector reads the event type from the X-Example-Event header, which a payload file does not have: pass --type <event type>",
    );
    expect(type.code).toBe(2);
    const payload = await runCli(["flow", "test", ...sample, "--event", file("nope.json"), "--type", "x"]);
    expect(payload.stderr).toBe(`switchboard: --event ${file("nope.json")}: no such file\n`);
    expect(payload.code).toBe(2);
    const event = await runCli(["flow", "test", ...sample]);
    expect(event.stderr).toContain("required option '--event <file>' not specified");
    expect(event.code).toBe(2);
  });

  it("has help with examples", async () => {
    const { code, stdout } = await runCli(["flow", "test", "--help"]);
    expect(stdout).toContain("Examples:\n  switchboard flow test ");
    expect(code).toBe(0);
  });
});
