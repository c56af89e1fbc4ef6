import type { ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { startRuntimeProcess } from "../support/runtime-process.js";
import type { VendorServer } from "../support/vendor-server.js";
import { startVendorServer } from "../support/vendor-server.js";

const secret = "crash-test-secret";

/** The runtime as a process (`switchboard runtime`), on its own state folder. */
function startRuntime(dir: string): Promise<{ child: ChildProcess; port: number }> {
  return startRuntimeProcess([
    "--config",
    join(dir, "runtime.json"),
    "--webhook-secret-dir",
    join(dir, "webhook"),
    "--state-dir",
    join(dir, "state"),
    "--port",
    "0",
    "--admin-port",
    "0",
    "--host",
    "127.0.0.1",
  ]);
}

describe("the runtime loses nothing it acknowledged", () => {
  let vendor: VendorServer;
  let dir: string;
  beforeAll(async () => {
    vendor = await startVendorServer();
    dir = await mkdtemp(join(tmpdir(), "switchboard-crash-"));
    await mkdir(join(dir, "webhook"));
    await writeFile(join(dir, "webhook", "secret"), secret);
    await writeFile(
      join(dir, "runtime.json"),
      JSON.stringify({
        integration: {
          namespace: "default",
          name: "tickets",
          spec: {
            connectorRef: { name: "tickets" },
            egress: { allowedHosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true },
            delivery: {
              retry: { initialBackoff: "50ms", maxBackoff: "500ms", maxAttempts: 100 },
              circuitBreaker: { halfOpenAfter: "1s" },
            },
            flows: [{ name: "to-vendor", events: ["*"], target: { sink: { url: `${vendor.url}/events` } } }],
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
            webhook: {
              verification: { scheme: "hmac", hmac: { header: "X-Signature", prefix: "sha256=" } },
              eventType: { jsonPath: "type" },
              deliveryId: { header: "X-Delivery" },
            },
          },
        },
      }),
    );
  });
  afterAll(async () => {
    await vendor.close();
    await rm(dir, { recursive: true, force: true });
  });

  const send = async (port: number, count: number, acknowledged: Set<string>) => {
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 32 });
    let next = 0;
    await Promise.all(
      [...Array(32).keys()].map(async () => {
        while (next < count) {
          const id = `${next++}-${randomUUID()}`;
          const body = JSON.stringify({ type: "ticket.updated", id });
          try {
            const response = await pool.request({
              method: "POST",
              path: "/webhook",
              headers: {
                "content-type": "application/json",
                "x-delivery": id,
                "x-signature": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
              },
              body,
            });
            await response.body.text();
            if (response.statusCode === 200) acknowledged.add(`${id}:to-vendor`);
          } catch {
            return; // the runtime is gone
          }
        }
      }),
    );
    await pool.destroy();
  };

  it("killed with SIGKILL with 10,000 events in flight, restarted: every acknowledged event reaches the vendor", async () => {
    // The vendor is slow, so deliveries are in flight and pending when the process dies.
    vendor.behave(() => ({ status: 200, delayMs: 20 }));
    const acknowledged = new Set<string>();
    const first = await startRuntime(dir);
    const sending = send(first.port, 10_000, acknowledged);
    await eventually(() => expect(acknowledged.size).toBeGreaterThan(8_000), 60_000);
    first.child.kill("SIGKILL");
    await sending;
    // Thousands were acknowledged but not yet delivered (journaled, or in flight) when the process died.
    expect(acknowledged.size - vendor.accepted.size).toBeGreaterThan(1_000);
    vendor.behave(() => undefined);

    const second = await startRuntime(dir);
    try {
      await eventually(() => {
        const missing = [...acknowledged].filter((key) => !vendor.accepted.has(key));
        expect(missing).toEqual([]);
      }, 60_000);
    } finally {
      second.child.kill("SIGTERM");
    }
  }, 120_000);

  it("the vendor down for a while: everything is delivered once it is back", async () => {
    vendor.behave(() => "hang-up");
    const acknowledged = new Set<string>();
    const runtime = await startRuntime(dir);
    try {
      await send(runtime.port, 500, acknowledged);
      expect(acknowledged.size).toBe(500);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      vendor.behave(() => undefined);
      await eventually(() => {
        const missing = [...acknowledged].filter((key) => !vendor.accepted.has(key));
        expect(missing).toEqual([]);
      }, 60_000);
    } finally {
      runtime.child.kill("SIGTERM");
    }
  }, 120_000);
});
