import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorSpec, CredentialSpec } from "../../api/types.js";
import type { DevServices } from "../../local/dev-services/dev-services.js";
import { startDevServices } from "../../local/dev-services/dev-services.js";
import type { VendorServer } from "../../../test/support/vendor-server.js";
import { startVendorServer } from "../../../test/support/vendor-server.js";
import { runHealthCheck } from "./run-health-check.js";

const local = { allowPrivateNetworks: true, allowInsecureHTTP: true, timeoutMs: 5_000, config: {} };

describe("connector test: the health check with real credentials", () => {
  let services: DevServices;
  let vendor: VendorServer;
  beforeAll(async () => {
    services = await startDevServices({ port: 0, client: { id: "app", secret: "right" } });
    vendor = await startVendorServer();
  });
  afterAll(async () => {
    await services.close();
    await vendor.close();
  });

  const oauthConnector = (): ConnectorSpec => ({
    displayName: "Tickets",
    category: "custom",
    version: "1.0.0",
    baseURL: `${services.url}/api`,
    egressHosts: ["127.0.0.1"],
    auth: [{ name: "oauth", type: "oauth2-client-credentials", tokenURL: `${services.url}/oauth/token` }],
    actions: [{ name: "whoami", method: "GET", path: "/me" }],
    healthCheck: { action: "whoami" },
  });
  const oauthCredential = (): CredentialSpec => ({
    type: "oauth2-client-credentials",
    secretRef: { name: "s" },
    oauth2: { tokenURL: `${services.url}/oauth/token` },
  });

  it("OAuth 2.0 client credentials: a token is granted, the API answers, the report says so", async () => {
    const report = await runHealthCheck({
      ...local,
      connectorName: "tickets",
      connector: oauthConnector(),
      credential: oauthCredential(),
      secretValues: new Map([
        ["client-id", "app"],
        ["client-secret", "right"],
      ]),
    });
    expect(report).toMatchObject({
      ok: true,
      action: "whoami",
      status: 200,
      auth: "accepted",
      tokenRequests: [{ scheme: "oauth", ok: true }],
    });
    expect(report.latencyMs).toBeGreaterThan(0);
  });

  it("a client secret the token endpoint refuses: auth refused, not ok, and the secret is nowhere in the report", async () => {
    const report = await runHealthCheck({
      ...local,
      connectorName: "tickets",
      connector: oauthConnector(),
      credential: oauthCredential(),
      secretValues: new Map([
        ["client-id", "app"],
        ["client-secret", "wrong-secret-value"],
      ]),
    });
    expect(report).toMatchObject({
      ok: false,
      auth: "refused",
      tokenRequests: [{ scheme: "oauth", ok: false }],
    });
    expect(JSON.stringify(report)).not.toContain("wrong-secret-value");
  });

  it("reports the vendor's rate-limit headers, and a 401 as refused credentials", async () => {
    const connector: ConnectorSpec = {
      displayName: "Keys",
      category: "custom",
      version: "1.0.0",
      baseURL: vendor.url,
      egressHosts: ["127.0.0.1"],
      auth: [{ name: "key", type: "api-key", apiKey: { in: "header", name: "X-Api-Key" } }],
      actions: [{ name: "ping", method: "GET", path: "/ping" }],
      healthCheck: { action: "ping" },
    };
    const credential: CredentialSpec = { type: "api-key", secretRef: { name: "s" } };
    vendor.behave((request) =>
      request.headers["x-api-key"] === "k-1"
        ? { status: 200, headers: { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999" } }
        : { status: 401, body: { message: "Bad credentials" } },
    );
    const good = await runHealthCheck({
      ...local,
      connectorName: "keys",
      connector,
      credential,
      secretValues: new Map([["api-key", "k-1"]]),
    });
    expect(good).toMatchObject({
      ok: true,
      auth: "accepted",
      rateLimit: { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999" },
    });
    const bad = await runHealthCheck({
      ...local,
      connectorName: "keys",
      connector,
      credential,
      secretValues: new Map([["api-key", "nope"]]),
    });
    expect(bad).toMatchObject({ ok: false, status: 401, auth: "refused" });
    expect(bad.error).toContain("Bad credentials");
  });

  it("egress rules apply as in the runtime, and a connector without a health check is named", async () => {
    const refused = await runHealthCheck({
      ...local,
      allowPrivateNetworks: false,
      connectorName: "tickets",
      connector: oauthConnector(),
      credential: undefined,
      secretValues: new Map(),
    });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/127\.0\.0\.1 is a private, loopback or l/);
    await expect(
      runHealthCheck({
        ...local,
        connectorName: "bare",
        connector: { displayName: "Bare", category: "custom", version: "1.0.0" },
        credential: undefined,
        secretValues: new Map(),
      }),
    ).rejects.toThrow("connector bare has no health check (spec.healthCheck.action)");
  });
});
