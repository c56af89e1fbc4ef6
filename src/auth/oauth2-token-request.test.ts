import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenEndpoint } from "../../test/support/token-endpoint.js";
import { startTokenEndpoint } from "../../test/support/token-endpoint.js";
import { requestClientCredentialsToken } from "./oauth2-token-request.js";
import { trustingDispatcher } from "./trusting-dispatcher.js";

describe("the OAuth 2.0 client credentials grant against a real HTTPS token endpoint", () => {
  let endpoint: TokenEndpoint;
  let dispatcher: ReturnType<typeof trustingDispatcher>;
  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    endpoint.clients.set("app id", "s3cret:+&/");
    dispatcher = trustingDispatcher(endpoint.caPem);
  });
  afterAll(() => endpoint.close());

  const base = () => ({
    tokenURL: endpoint.url,
    clientId: "app id",
    clientSecret: "s3cret:+&/",
    timeoutMs: 2000,
    ...(dispatcher ? { dispatcher } : {}),
  });

  it("authenticates with basic auth, id and secret form-encoded first, and sends scopes and audience", async () => {
    const result = await requestClientCredentialsToken({
      ...base(),
      scopes: ["tickets:read", "notes:write"],
      audience: "https://api.example.com",
      parameters: { resource: "tickets" },
    });
    expect(result).toMatchObject({
      ok: true,
      accessToken: "token-for-app id",
      tokenType: "Bearer",
      expiresIn: 3600,
    });
    const request = endpoint.requests.at(-1);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from("app+id:s3cret%3A%2B%26%2F").toString("base64")}`,
    );
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      grant_type: "client_credentials",
      scope: "tickets:read notes:write",
      audience: "https://api.example.com",
      resource: "tickets",
    });
  });

  it("authenticates with form parameters when asked", async () => {
    const result = await requestClientCredentialsToken({
      ...base(),
      clientAuthentication: "client-secret-post",
    });
    expect(result.ok).toBe(true);
    const request = endpoint.requests.at(-1);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.form.get("client_secret")).toBe("s3cret:+&/");
  });

  it("a refused client is `rejected`, described from the endpoint's error, without the secret", async () => {
    const result = await requestClientCredentialsToken({ ...base(), clientSecret: "wrong-secret" });
    expect(result).toMatchObject({
      ok: false,
      failure: "rejected",
      status: 401,
      message: `token endpoint ${endpoint.url} answered 401 invalid_client: Client authentication failed`,
    });
  });

  it("5xx, 429, timeouts, refused connections and untrusted certificates are `unreachable`", async () => {
    endpoint.failWith = 503;
    expect(await requestClientCredentialsToken(base())).toMatchObject({
      failure: "unreachable",
      status: 503,
    });
    endpoint.failWith = 429;
    expect(await requestClientCredentialsToken(base())).toMatchObject({
      failure: "unreachable",
      status: 429,
    });
    endpoint.failWith = undefined;

    endpoint.delayMs = 300;
    const slow = await requestClientCredentialsToken({ ...base(), timeoutMs: 50 });
    endpoint.delayMs = 0;
    expect(slow).toMatchObject({
      failure: "unreachable",
      message: expect.stringMatching(/no answer within 50 ms$/) as string,
    });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await requestClientCredentialsToken({
      ...base(),
      tokenURL: `https://127.0.0.1:${port}/token`,
    });
    expect(refused).toMatchObject({
      failure: "unreachable",
      message: expect.stringContaining("ECONNREFUSED") as string,
    });

    const { dispatcher: _trusting, ...untrusting } = base();
    const untrusted = await requestClientCredentialsToken(untrusting);
    expect(untrusted).toMatchObject({ failure: "unreachable" });
    expect(untrusted.ok || untrusted.message).toMatch(/certificate/i);
  });

  it("never puts the secret in a message, even when the endpoint echoes it", async () => {
    endpoint.clients.set("echo", "do-not-echo");
    const result = await requestClientCredentialsToken({
      ...base(),
      clientId: "nobody",
      clientSecret: "Client",
    });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("Client authentication");
    expect(JSON.stringify(result)).toContain("[redacted] authentication failed");
  });
});
