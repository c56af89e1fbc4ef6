import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuntimeConfig } from "../../src/runtime/config/runtime-config.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { eventually } from "../support/eventually.js";
import type { OperatorFixture } from "../support/operator-fixture.js";
import { startOperatorFixture } from "../support/operator-fixture.js";
import type { VendorServer } from "../support/vendor-server.js";
import { startVendorServer } from "../support/vendor-server.js";

/** GDPR minimisation from the policy to the wire: the operator renders the rules, the runtime applies them. */
describe("personal data minimised before it leaves the cluster", () => {
  let fixture: OperatorFixture;
  let vendor: VendorServer;
  let dir: string;

  beforeAll(async () => {
    vendor = await startVendorServer();
    dir = await mkdtemp(join(tmpdir(), "switchboard-personal-data-"));
    fixture = await startOperatorFixture([], { governance: { auditIntervalMs: 0 } });
    await fixture.client.request("POST", "/apis/switchboard.dev/v1alpha1/clusterconnectors", {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "ClusterConnector",
      metadata: { name: "crm" },
      spec: {
        displayName: "CRM",
        category: "custom",
        version: "1.0.0",
        webhook: {
          verification: { scheme: "hmac", hmac: { header: "X-Signature" } },
          eventType: { jsonPath: "type" },
          deliveryId: { jsonPath: "id" },
        },
      },
    });
    await fixture.client.request("POST", "/apis/switchboard.dev/v1alpha1/integrationpolicies", {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "IntegrationPolicy",
      metadata: { name: "gdpr" },
      spec: { rules: [{ name: "minimise", personalData: { redact: ["**.email"], drop: ["**.ssn"] } }] },
    });
  });
  afterAll(async () => {
    await fixture.stop();
    await vendor.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("an Integration labelled personal gets the rules in its runtime config, and its sink never sees the fields", async () => {
    await fixture.client.request("POST", "/apis/switchboard.dev/v1alpha1/namespaces/default/integrations", {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Integration",
      metadata: { name: "contacts", labels: { "switchboard.dev/data-classification": "personal" } },
      spec: {
        connectorRef: { name: "crm" },
        flows: [
          {
            name: "export",
            events: ["*"],
            target: { sink: { url: `${vendor.url}/contacts`, mode: "json" } },
          },
        ],
        egress: { allowedHosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true },
      },
    });
    let config: RuntimeConfig | undefined;
    await eventually(async () => {
      const map = await fixture.client.request<{ data: Record<string, string> }>(
        "GET",
        "/api/v1/namespaces/default/configmaps/contacts-runtime",
      );
      config = JSON.parse(map.data["runtime.json"] ?? "{}") as RuntimeConfig;
      expect(config.governance).toEqual({ personalData: { redact: ["**.email"], drop: ["**.ssn"] } });
    });
    const runtime = new Runtime({
      config: config as RuntimeConfig,
      webhookSecrets: () => ["s3cret"],
      signers: () => new Map(),
      journalPath: join(dir, "journal.db"),
      port: 0,
      adminPort: 0,
      host: "127.0.0.1",
      log: pino({ level: "silent" }),
    });
    const { port } = await runtime.start();
    try {
      const body = JSON.stringify({
        type: "contact.created",
        id: "c-1",
        contact: {
          name: "Ada",
          email: "ada@example.com",
          ssn: "123-45-6789",
          manager: { email: "grace@example.com" },
        },
      });
      const response = await fetch(`http://127.0.0.1:${port}/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-signature": createHmac("sha256", "s3cret").update(body).digest("hex"),
        },
        body,
      });
      expect(response.status).toBe(200);
      await eventually(() => expect(vendor.requests).toHaveLength(1));
      const received = vendor.requests[0]?.body ?? "";
      expect(JSON.parse(received)).toEqual({
        type: "contact.created",
        id: "c-1",
        contact: { name: "Ada", email: "[REDACTED]", manager: { email: "[REDACTED]" } },
      });
      expect(received).not.toContain("ada@example.com");
    } finally {
      await runtime.stop();
    }
  });
});
