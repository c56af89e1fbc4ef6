import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../test/support/eventually.js";
import type { VendorServer } from "../../test/support/vendor-server.js";
import { startVendorServer } from "../../test/support/vendor-server.js";
import { Runtime } from "./runtime.js";

const egress = { allowedHosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true };

describe("a flow whose target is another Integration's action", () => {
  let vendor: VendorServer;
  let dir: string;
  let tickets: Runtime;
  let router: Runtime;
  let routerURL: string;

  beforeAll(async () => {
    vendor = await startVendorServer();
    dir = await mkdtemp(join(tmpdir(), "switchboard-integration-target-"));
    const log = pino({ level: "silent" });
    tickets = new Runtime({
      config: {
        integration: {
          namespace: "team-a",
          name: "tickets",
          spec: {
            connectorRef: { name: "tickets" },
            egress,
            actionAPI: { allowedServiceAccounts: [{ name: "router" }] },
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
            actions: [
              {
                name: "open-ticket",
                method: "POST",
                path: "/tickets",
                idempotencyKeyHeader: "Idempotency-Key",
              },
            ],
          },
        },
      },
      webhookSecrets: () => [],
      signers: () => new Map(),
      journalPath: join(dir, "tickets.db"),
      port: 0,
      adminPort: 0,
      host: "127.0.0.1",
      actionToken: "router-token",
      log,
    });
    const { port: ticketsPort } = await tickets.start();
    router = new Runtime({
      config: {
        integration: {
          namespace: "team-a",
          name: "router",
          spec: {
            connectorRef: { name: "alerts" },
            flows: [
              {
                name: "to-tickets",
                events: ["alert.*"],
                transform: "{ 'title': summary }",
                target: { integration: { name: "tickets", action: "open-ticket" } },
              },
            ],
          },
        },
        connector: {
          kind: "ClusterConnector",
          name: "alerts",
          version: "1.0.0",
          spec: {
            displayName: "Alerts",
            category: "observability",
            version: "1.0.0",
            webhook: {
              verification: { scheme: "hmac", hmac: { header: "X-Signature" } },
              eventType: { jsonPath: "type" },
              deliveryId: { jsonPath: "id" },
            },
          },
        },
      },
      webhookSecrets: () => ["alerts-secret"],
      signers: () => new Map(),
      journalPath: join(dir, "router.db"),
      port: 0,
      adminPort: 0,
      host: "127.0.0.1",
      integrationURL: (name) =>
        name === "tickets" ? `http://127.0.0.1:${ticketsPort}` : "http://nowhere.invalid",
      callerToken: () => Promise.resolve("router-token"),
      log,
    });
    routerURL = `http://127.0.0.1:${(await router.start()).port}`;
  });
  afterAll(async () => {
    await router.stop();
    await tickets.stop();
    await vendor.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("calls the other Integration's action API with its token, carrying the idempotency key to the vendor", async () => {
    const body = JSON.stringify({ type: "alert.fired", id: "a-1", summary: "disk full" });
    const response = await fetch(`${routerURL}/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-signature": createHmac("sha256", "alerts-secret").update(body).digest("hex"),
      },
      body,
    });
    expect(response.status).toBe(200);
    await eventually(() => expect(vendor.requests).toHaveLength(1));
    expect(vendor.requests[0]).toMatchObject({
      method: "POST",
      url: "/tickets",
      body: '{"title":"disk full"}',
    });
    expect(vendor.requests[0]?.headers["idempotency-key"]).toBe("a-1:to-tickets");
  });
});
