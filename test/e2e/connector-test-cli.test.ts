import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevServices } from "../../src/local/dev-services/dev-services.js";
import { startDevServices } from "../../src/local/dev-services/dev-services.js";

/** Run as a process that does not block this one: the dev services it calls live here. */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "connector", "test", ...args],
      (error, stdout, stderr) =>
        resolve({ status: typeof error?.code === "number" ? error.code : 0, stdout, stderr }),
    );
  });
}

describe("switchboard connector test", () => {
  let services: DevServices;
  let dir: string;
  beforeAll(async () => {
    services = await startDevServices({ port: 0, client: { id: "app", secret: "right" } });
    dir = await mkdtemp(join(tmpdir(), "switchboard-connector-test-"));
    await writeFile(
      join(dir, "connector.yaml"),
      `apiVersion: switchboard.dev/v1alpha1
kind: Connector
metadata: { name: tickets }
spec:
  displayName: Tickets
  category: custom
  version: 1.0.0
  baseURL: ${services.url}/api
  egressHosts: ["127.0.0.1"]
  auth: [{ name: oauth, type: oauth2-client-credentials, tokenURL: "${services.url}/oauth/token" }]
  actions: [{ name: whoami, method: GET, path: /me }]
  healthCheck: { action: whoami }
`,
    );
    const credential = (secret: string) => `apiVersion: v1
kind: Secret
metadata: { name: tickets }
stringData: { client-id: app, client-secret: ${secret} }
---
apiVersion: switchboard.dev/v1alpha1
kind: Credential
metadata: { name: tickets }
spec:
  type: oauth2-client-credentials
  secretRef: { name: tickets }
  oauth2: { tokenURL: "${services.url}/oauth/token" }
`;
    await writeFile(join(dir, "good.yaml"), credential("right"));
    await writeFile(join(dir, "bad.yaml"), credential("wrong"));
  });
  afterAll(async () => {
    await services.close();
    await rm(dir, { recursive: true, force: true });
  });

  const local = ["--allow-private-networks", "--allow-insecure-http"];

  it("reports a passing check with its latency and the token granted; exit 0", async () => {
    const run = await cli([join(dir, "connector.yaml"), "--credential", join(dir, "good.yaml"), ...local]);
    expect(run.stdout).toMatch(/^ok {2}tickets whoami: 200 in [\d.]+ ms$/m);
    expect(run.stdout).toContain("auth        accepted (token requests: oauth granted)");
    expect(run.stdout).toContain("rate limit  no headers");
    expect(run.status).toBe(0);
  });

  it("refused credentials fail the check with exit 1; -o json gives the report", async () => {
    const run = await cli([
      join(dir, "connector.yaml"),
      "--credential",
      join(dir, "bad.yaml"),
      ...local,
      "-o",
      "json",
    ]);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, auth: "refused" });
    expect(run.stdout).not.toContain("wrong");
  });

  it("names what it cannot find", async () => {
    const missing = await cli(["no-such-connector"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("connector no-such-connector: no such file, and not in the catalog");
    const noSecret = await cli([join(dir, "connector.yaml"), "--credential", join(dir, "connector.yaml")]);
    expect(noSecret.stderr).toContain("connector.yaml: no Credential in it");
  });
});
