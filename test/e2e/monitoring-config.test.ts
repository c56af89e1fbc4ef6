import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { dashboardJson, dashboards } from "../../src/packaging/dashboards.js";

function promtool(args: string[], cwd = "."): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) =>
    execFile("promtool", args, { cwd }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number")
        reject(new Error(`promtool could not run: ${error.message}`));
      else resolve({ code: typeof error?.code === "number" ? error.code : 0, output: stdout + stderr });
    }),
  );
}

describe("alert rules and dashboards", () => {
  it("promtool checks the alert rules", async () => {
    const result = await promtool(["check", "rules", "config/alerts/switchboard.rules.yaml"]);
    expect(result.output).toContain("SUCCESS: 7 rules found");
    expect(result.code).toBe(0);
  });

  it("promtool's unit tests fire each alert when it should, and not before", async () => {
    const result = await promtool(["test", "rules", "switchboard.rules.test.yaml"], "config/alerts");
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("every alert has a runbook section in docs/runbooks.md", async () => {
    const rules = await readFile("config/alerts/switchboard.rules.yaml", "utf8");
    const runbooks = await readFile("docs/runbooks.md", "utf8");
    const alerts = [...rules.matchAll(/alert: (\w+)/g)].map((m) => m[1] ?? "");
    expect(alerts).toHaveLength(7);
    for (const alert of alerts) {
      expect(runbooks, alert).toContain(`## ${alert}`);
      expect(rules, alert).toContain(`docs/runbooks.md#${alert.toLowerCase()}`);
    }
  });

  it("the dashboards in config/dashboards are what npm run generate writes", async () => {
    for (const dashboard of dashboards)
      expect(await readFile(`config/dashboards/${dashboard.file}`, "utf8"), dashboard.file).toBe(
        dashboardJson(dashboard),
      );
  });
});
