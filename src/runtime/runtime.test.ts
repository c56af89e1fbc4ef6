import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../../test/support/eventually.js";
import type { VendorServer } from "../../test/support/vendor-server.js";
import { startVendorServer } from "../../test/support/vendor-server.js";
import type { RuntimeConfig } from "./config/runtime-config.js";
import { verifyRequest } from "./inbound/verification/verify-request.js";
import { Runtime } from "./runtime.js";

const secret = "It's a Secret to Everybody";
const sinkSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

function config(
  vendorURL: string,
  overrides: Partial<RuntimeConfig["integration"]["spec"]> = {},
): RuntimeConfig {
  return {
    integration: {
      namespace: "team-a",
      name: "github",
      spec: {
        connectorRef: { name: "github" },
        webhook: { secretRef: { name: "github-webhook", keys: ["current", "previous"] }, maxBodyBytes: 4096 },
        egress: { allowedHosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true },
        delivery: { retry: { initialBackoff: "10ms", maxBackoff: "50ms", maxAttempts: 3 } },
        flows: [
          {
            name: "issues-to-sink",
            events: ["issues.*"],
            filter: "issue.state = 'open'",
            transform: "{ 'title': issue.title, 'repo': repository.full_name }",
            target: { sink: { url: `${vendorURL}/events`, mode: "json" } },
          },
          {
            name: "pushes-as-cloudevents",
            events: ["push"],
            normalize: "cloudevents",
            target: { sink: { url: `${vendorURL}/cloudevents`, mode: "cloudevents-binary" } },
          },
        ],
        ...overrides,
      },
    },
    connector: {
      kind: "ClusterConnector",
      name: "github",
      version: "1.0.0",
      spec: {
        displayName: "GitHub",
        category: "itops",
        version: "1.0.0",
        webhook: {
          verification: { scheme: "github" },
          eventType: { header: "X-GitHub-Event", subtypeJsonPath: "action" },
          deliveryId: { header: "X-GitHub-Delivery" },
        },
        events: [
          {
            type: "issues.opened",
            schema: {
              type: "object",
              required: ["issue"],
              properties: { issue: { type: "object", required: ["title"] } },
            },
          },
          { type: "push" },
        ],
        normalization: { cloudEvents: { typePrefix: "com.github.", subject: "repository.full_name" } },
      },
    },
  };
}

describe("the runtime, end to end over HTTP", () => {
  let vendor: VendorServer;
  let dir: string;
  let runtime: Runtime;
  let base: string;
  let admin: string;

  const start = async (overrides: Partial<RuntimeConfig["integration"]["spec"]> = {}, capacity = 1000) => {
    runtime = new Runtime({
      config: config(vendor.url, overrides),
      webhookSecrets: () => [secret, "older-secret"],
      signers: () => new Map(),
      sinkSecrets: new Map([["sink-signing/secret", sinkSecret]]),
      journalPath: join(dir, "journal.db"),
      port: 0,
      adminPort: 0,
      host: "127.0.0.1",
      journalCapacity: capacity,
      log: pino({ level: "silent" }),
    });
    const { port, adminPort } = await runtime.start();
    base = `http://127.0.0.1:${port}`;
    admin = `http://127.0.0.1:${adminPort}`;
  };
  const post = (
    event: string,
    payload: unknown,
    options: { id?: string; key?: string; body?: string } = {},
  ) => {
    const body = options.body ?? JSON.stringify(payload);
    const signature = createHmac("sha256", options.key ?? secret)
      .update(body)
      .digest("hex");
    return fetch(`${base}/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": options.id ?? crypto.randomUUID(),
        "x-hub-signature-256": `sha256=${signature}`,
        traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      },
      body,
    });
  };

  beforeEach(async () => {
    vendor = await startVendorServer();
    dir = await mkdtemp(join(tmpdir(), "switchboard-runtime-"));
  });
  afterEach(async () => {
    await runtime.stop();
    await vendor.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("verifies, journals, filters, transforms and delivers; CloudEvents in binary mode carry traceparent", async () => {
    await start();
    const opened = await post("issues", {
      action: "opened",
      issue: { title: "Build broken", state: "open" },
      repository: { full_name: "acme/api" },
    });
    expect(opened.status).toBe(200);
    expect(await opened.json()).toEqual({ accepted: 1 });
    await post("issues", {
      action: "closed",
      issue: { title: "Old", state: "closed" },
      repository: { full_name: "acme/api" },
    });
    await post("push", { ref: "refs/heads/main", repository: { full_name: "acme/api" } }, { id: "push-1" });
    await eventually(() => expect(vendor.requests).toHaveLength(2));
    const sink = vendor.requests.find((r) => r.url === "/events");
    expect(JSON.parse(sink?.body ?? "{}")).toEqual({ title: "Build broken", repo: "acme/api" });
    const cloudEvent = vendor.requests.find((r) => r.url === "/cloudevents");
    expect(cloudEvent?.headers).toMatchObject({
      "ce-specversion": "1.0",
      "ce-type": "com.github.push",
      "ce-id": "push-1",
      "ce-subject": "acme/api",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    });
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    expect(metrics).toContain(
      'switchboard_runtime_deliveries_total{namespace="team-a",integration="github",connector="github",flow="issues-to-sink",outcome="filtered"} 1',
    );
  });

  it("refuses what it cannot trust or read, with the right status, and counts each by reason", async () => {
    await start();
    const badSignature = await post("issues", { action: "opened", issue: { title: "x" } }, { key: "wrong" });
    expect(badSignature.status).toBe(401);
    expect(((await badSignature.json()) as { reason: string }).reason).toBe("bad-signature");
    const malformed = await post("issues", undefined, { body: "{not json" });
    expect(malformed.status).toBe(400);
    const schema = await post("issues", { action: "opened", issue: { state: "open" } });
    expect(schema.status).toBe(400);
    expect(await schema.json()).toEqual({
      error: "event issues.opened: payload.issue.title is required",
      reason: "schema",
    });
    const tooBig = await post("push", { padding: "x".repeat(5000) });
    expect(tooBig.status).toBe(413);
    const get = await fetch(`${base}/webhook`);
    expect(get.status).toBe(405);
    const rotated = await post("push", { ref: "x" }, { key: "older-secret" });
    expect(rotated.status).toBe(200);
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    for (const reason of ["bad-signature", "malformed", "schema", "body-too-large", "method"])
      expect(metrics).toContain(`reason="${reason}"} 1`);
  });

  it("acknowledges a repeated delivery id without delivering it twice", async () => {
    await start();
    const payload = {
      action: "opened",
      issue: { title: "Once", state: "open" },
      repository: { full_name: "a/b" },
    };
    expect((await post("issues", payload, { id: "same" })).status).toBe(200);
    const again = await post("issues", payload, { id: "same" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ accepted: 0 });
    await eventually(() => expect(vendor.requests).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(vendor.requests).toHaveLength(1);
  });

  it("answers 503 with Retry-After when the journal is full, and keeps everything it acknowledged", async () => {
    vendor.behave(() => ({ status: 503 }));
    await start({}, 2);
    const push = (n: number) => post("push", { n, repository: { full_name: "a/b" } });
    expect((await push(1)).status).toBe(200);
    expect((await push(2)).status).toBe(200);
    const full = await push(3);
    expect(full.status).toBe(503);
    expect(full.headers.get("retry-after")).toBe("30");
    vendor.behave(() => undefined);
    await eventually(() => expect(vendor.accepted.size).toBe(2), 5_000);
  });

  it("keeps dead letters with their error on the admin port, and replays them", async () => {
    vendor.behave(() => ({ status: 400, body: { error: "bad event" } }));
    await start();
    await post("push", { ref: "x", repository: { full_name: "a/b" } });
    let items: { id: number; lastError: string; flow: string }[] = [];
    await eventually(async () => {
      ({ items } = (await (await fetch(`${admin}/deadletters`)).json()) as { items: typeof items });
      expect(items).toHaveLength(1);
    });
    expect(items[0]).toMatchObject({
      flow: "pushes-as-cloudevents",
      lastError: "sink 127.0.0.1:" + new URL(vendor.url).port + ": 400",
    });
    vendor.behave(() => undefined);
    const replay = await fetch(`${admin}/deadletters/${items[0]?.id ?? 0}/replay`, { method: "POST" });
    expect(replay.status).toBe(200);
    await eventually(() => expect(vendor.accepted.size).toBe(1));
  });

  it("signs Standard Webhooks deliveries to a sink so that a Standard Webhooks receiver accepts them", async () => {
    await start({
      flows: [
        {
          name: "signed",
          events: ["push"],
          target: {
            sink: {
              url: `${vendor.url}/signed`,
              mode: "standard-webhooks",
              secretRef: { name: "sink-signing", key: "secret" },
            },
          },
        },
      ],
    });
    await post("push", { ref: "refs/heads/main" }, { id: "push-9" });
    await eventually(() => expect(vendor.requests).toHaveLength(1));
    const received = vendor.requests[0];
    expect(received?.headers["webhook-id"]).toBe("push-9:signed");
    const verdict = verifyRequest(
      { scheme: "standard-webhooks" },
      [sinkSecret],
      {
        method: "POST",
        url: `${vendor.url}/signed`,
        headers: received?.headers ?? {},
        rawBody: Buffer.from(received?.body ?? ""),
      },
      new Date(),
    );
    expect(verdict).toEqual({ ok: true });
  });

  it("gives up on a slow answer at the attempt timeout and tries again", async () => {
    let calls = 0;
    vendor.behave(() => ({ status: 200, delayMs: ++calls === 1 ? 1_000 : 0 }));
    await start({ delivery: { timeout: "200ms", retry: { initialBackoff: "10ms", maxAttempts: 3 } } });
    await post("push", { ref: "x", repository: { full_name: "a/b" } });
    await eventually(() => expect(vendor.accepted.size).toBe(1), 5_000);
    expect(calls).toBe(2);
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    expect(metrics).toMatch(/flow="pushes-as-cloudevents",outcome="retry"} 1/);
  });
});
