import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../governance/audit/audit-log.js";
import type { VendorServer } from "../../test/support/vendor-server.js";
import { startVendorServer } from "../../test/support/vendor-server.js";
import { Runtime } from "./runtime.js";

interface Event {
  class_uid: number;
  api: { operation: string; service: { name: string } };
  actor: { user: { name: string } };
  resources: { type: string; name: string }[];
  status: string;
  unmapped: Record<string, unknown>;
}

describe("the runtime's audit trail", () => {
  let vendor: VendorServer;
  let dir: string;
  let runtime: Runtime;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    vendor = await startVendorServer();
    dir = await mkdtemp(join(tmpdir(), "switchboard-runtime-audit-"));
    runtime = new Runtime({
      config: {
        integration: {
          namespace: "team-a",
          name: "tickets",
          spec: {
            connectorRef: { name: "tickets" },
            credentialRef: { name: "tickets-oauth" },
            egress: { allowedHosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true },
          },
        },
        connector: {
          kind: "ClusterConnector",
          name: "tickets",
          version: "1.0.0",
          spec: {
            displayName: "Tickets",
            category: "itops",
            version: "1.0.0",
            baseURL: vendor.url,
            auth: [{ name: "oauth", type: "oauth2-client-credentials", tokenURL: `${vendor.url}/token` }],
            actions: [{ name: "ping", method: "GET", path: "/ping" }],
          },
        },
      },
      webhookSecrets: () => [],
      signers: (onTokenRequest) => {
        onTokenRequest("oauth", true);
        return new Map([
          [
            "oauth",
            { authenticate: (r) => Promise.resolve(void (r.headers.authorization = "Bearer sekret-token")) },
          ],
        ]);
      },
      journalPath: join(dir, "journal.db"),
      port: 0,
      adminPort: 0,
      host: "127.0.0.1",
      actionToken: "local-token",
      audit: new AuditLog({ write: (line) => lines.push(line) }),
      log: pino({ level: "silent" }),
    });
    url = `http://127.0.0.1:${(await runtime.start()).port}`;
  });
  afterAll(async () => {
    await runtime.stop();
    await vendor.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("records each credential use and each outbound action, with who asked and the outcome, never a secret", async () => {
    vendor.behave((request) => (request.url === "/ping" ? { status: 200 } : { status: 404 }));
    const answer = await fetch(`${url}/actions/ping`, {
      method: "POST",
      headers: { authorization: "Bearer local-token", "content-type": "application/json" },
      body: "{}",
    });
    expect(answer.status).toBe(200);
    const events = lines.map((l) => JSON.parse(l) as Event);
    expect(events.map((e) => e.api.operation)).toEqual(["TOKEN_REQUEST", "CALL"]);
    expect(events[1]).toMatchObject({
      class_uid: 6003,
      api: { service: { name: "switchboard-runtime" } },
      actor: { user: { name: "system:serviceaccount:team-a:tickets" } },
      resources: [{ type: "ConnectorAction", name: "tickets/ping" }],
      status: "Success",
      unmapped: { caller: "local", status: 200, scheme: "oauth", credential: "tickets-oauth" },
    });
    expect(lines.join("\n")).not.toContain("sekret-token");
    expect(lines.join("\n")).not.toContain("local-token");
  });
});
