import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

describe("switchboard policy test", () => {
  it("reports each violation at its field with its enforcement; a broken deny rule exits 1", async () => {
    const run = await runCli(["policy", "test", "config/policies/soc2.yaml", "examples"]);
    expect(run.stdout).toContain(
      "examples/tickets-oauth/integration.yaml:12:5: error: spec.connectorRef.kind: deny: IntegrationPolicy soc2-baseline, rule custom-connectors: spec.connectorRef.kind: namespace default may not use namespaced Connectors",
    );
    expect(run.stdout).toMatch(/^2 denied, 1 warned, 2 audited; 6 documents checked$/m);
    expect(run.code).toBe(1);
  });

  it("exits 0 when nothing is denied, showing warnings and audit findings", async () => {
    const run = await runCli(["policy", "test", "config/policies", "examples/github-issues"]);
    expect(run.stdout).toMatch(
      /warning: .*audit: IntegrationPolicy soc2-baseline, rule stable-connectors-audit/,
    );
    expect(run.stdout).toMatch(/^0 denied, 0 warned, 1 audited; 2 documents checked$/m);
    expect(run.code).toBe(0);
  });

  it("exits 2 naming a path that does not exist", async () => {
    const run = await runCli(["policy", "test", "no-such-policy.yaml", "examples"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no-such-policy.yaml");
  });
});
