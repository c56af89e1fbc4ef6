import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runtime } from "../../src/runtime/runtime.js";
import { eventually } from "../support/eventually.js";
import type { VendorServer } from "../support/vendor-server.js";
import { startVendorServer } from "../support/vendor-server.js";

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "deadletters", ...args]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("switchboard deadletters (the command)", () => {
  let vendor: VendorServer;
  let dir: string;
  let runtime: Runtime;
  let admin: string;
  beforeAll(async () => {
    vendor = await startVendorServer();
    vendor.behave(() => ({ status: 422, body: { error: "archived ticket" } }));
    dir = await mkdtemp(join(tmpdir(), "switchboard-deadletters-"));
    runtime = new Runtime({
      config: {
        integration: {
          namespace: "default",
          name: "tickets",
          spec: {
            connectorRef: { name: "tickets" },
            egress: { allowedHosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true },
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
              verification: { scheme: "none" },
              eventType: { jsonPath: "type" },
              deliveryId: { jsonPath: "id" },
            },
          },
        },
      },
      webhookSecrets: () => [],
      signers: () => new Map(),
      journalPath: join(dir, "journal.db"),
      port: 0,
      adminPort: 0,
      host: "127.0.0.1",
      log: pino({ level: "silent" }),
    });
    const { port, adminPort } = await runtime.start();
    admin = `http://127.0.0.1:${adminPort}`;
    for (const id of ["e-1", "e-2"])
      await fetch(`http://127.0.0.1:${port}/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "ticket.updated", id }),
      });
    await eventually(() => expect(runtime.journal.deadLetters()).toHaveLength(2));
  });
  afterAll(async () => {
    await runtime.stop();
    await vendor.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists dead letters with their last error, replays one and discards the other", async () => {
    const list = await cli(["list", "--admin-url", admin]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(
      /^ID\s+FLOW\s+EVENT\s+ATTEMPTS\s+RECEIVED\s+LAST ERROR\n1\s+to-vendor\s+ticket.updated\s+1\s+\S+\s+sink 127.0.0.1:\d+: 422\n2\s+/,
    );
    const [first, second] = runtime.journal.deadLetters().map((d) => String(d.id));
    vendor.behave(() => undefined);
    expect((await cli(["replay", first ?? "", "--admin-url", admin])).stdout).toBe(
      `replayed ${first ?? ""}\n`,
    );
    expect((await cli(["discard", second ?? "", "--admin-url", admin])).stdout).toBe(
      `discarded ${second ?? ""}\n`,
    );
    await eventually(() => expect(vendor.accepted.size).toBe(1));
    const json = await cli(["list", "-o", "json", "--admin-url", admin]);
    expect(JSON.parse(json.stdout)).toMatchObject({ items: [] });
  });

  it("says what is wrong: an unknown id, a bad id, an admin port nobody listens on", async () => {
    const missing = await cli(["replay", "999", "--admin-url", admin]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("POST /deadletters/999/replay: 404 no dead letter 999");
    const bad = await cli(["show", "abc", "--admin-url", admin]);
    expect(bad.stderr).toContain('"abc" is not a dead letter id');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const nobody = await cli(["list", "--admin-url", `http://127.0.0.1:${port}`]);
    expect(nobody.stderr).toContain(
      `cannot reach the runtime's admin port at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });
});
