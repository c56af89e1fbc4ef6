import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenEndpoint } from "../../test/support/token-endpoint.js";
import { startTokenEndpoint } from "../../test/support/token-endpoint.js";
import type { AuthScheme, CredentialSpec } from "../api/types.js";
import { FileRefreshTokenStore } from "./refresh-token-store.js";
import type { OutboundRequest } from "./request-authenticator.js";
import { createAuthenticator } from "./request-authenticator.js";
import { trustingDispatcher } from "./trusting-dispatcher.js";

const request = (url = "https://api.example.com/v1/items?x=1"): OutboundRequest => ({
  method: "GET",
  url: new URL(url),
  headers: {},
});
const credential = (
  type: CredentialSpec["type"],
  values: Record<string, string>,
  extra: Partial<CredentialSpec> = {},
) => ({
  type,
  values,
  spec: { type, secretRef: { name: "vendor" }, ...extra },
});

describe("outbound authentication", () => {
  let endpoint: TokenEndpoint;
  let dispatcher: ReturnType<typeof trustingDispatcher>;
  let dir: string;
  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    endpoint.clients.set("app", "app-secret");
    dispatcher = trustingDispatcher(endpoint.caPem);
    dir = await mkdtemp(join(tmpdir(), "switchboard-auth-"));
  });
  afterAll(async () => {
    await endpoint.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("client credentials: 1,000 concurrent requests share one token request; renewal before expiry; a 401 forces one more", async () => {
    let now = 1_000_000;
    const scheme: AuthScheme = { name: "oauth", type: "oauth2-client-credentials", scopes: ["read"] };
    const authenticator = createAuthenticator({
      scheme,
      credential: credential(
        "oauth2-client-credentials",
        { "client-id": "app", "client-secret": "app-secret" },
        {
          oauth2: { tokenURL: endpoint.url },
        },
      ),
      config: {},
      ...(dispatcher ? { dispatcher } : {}),
      now: () => now,
    });
    const before = endpoint.requests.length;
    const requests = [...Array(1000).keys()].map(() => request());
    await Promise.all(requests.map((r) => authenticator.authenticate(r)));
    expect(endpoint.requests.length - before).toBe(1);
    expect(new Set(requests.map((r) => r.headers.authorization))).toEqual(new Set(["Bearer token-for-app"]));
    expect(endpoint.requests.at(-1)?.form.get("scope")).toBe("read");

    now += 2_000_000; // well inside the hour
    await authenticator.authenticate(request());
    expect(endpoint.requests.length - before).toBe(1);
    now += 900_000; // past 80% of it
    await authenticator.authenticate(request());
    expect(endpoint.requests.length - before).toBe(2);
    authenticator.invalidate?.();
    await authenticator.authenticate(request());
    expect(endpoint.requests.length - before).toBe(3);
  });

  it("client credentials: a refused secret fails with the endpoint's error and not the secret", async () => {
    const authenticator = createAuthenticator({
      scheme: {
        name: "oauth",
        type: "oauth2-client-credentials",
        tokenURL: "https://{config.host}/oauth/token",
      },
      credential: credential("oauth2-client-credentials", {
        "client-id": "app",
        "client-secret": "wrong-secret-value",
      }),
      config: { host: new URL(endpoint.url).host },
      ...(dispatcher ? { dispatcher } : {}),
    });
    const failure = authenticator.authenticate(request());
    await expect(failure).rejects.toThrow(/answered 401 invalid_client: Client authentication failed$/);
    await expect(failure).rejects.not.toThrow(/wrong-secret-value/);
  });

  it("refresh tokens: a rotated refresh token is kept in the store and used after a restart", async () => {
    endpoint.refreshTokens.add("refresh-initial");
    const store = new FileRefreshTokenStore(join(dir, "refresh-token"));
    const make = () =>
      createAuthenticator({
        scheme: { name: "user", type: "oauth2-refresh-token" },
        credential: credential(
          "oauth2-refresh-token",
          { "client-id": "app", "refresh-token": "refresh-initial" },
          {
            oauth2: { tokenURL: endpoint.url },
          },
        ),
        config: {},
        store,
        ...(dispatcher ? { dispatcher } : {}),
      });
    await make().authenticate(request());
    const rotated = await store.load();
    expect(rotated).toMatch(/^refresh-/);
    expect(endpoint.refreshTokens).toEqual(new Set([rotated]));
    // A new process: the Secret still holds the first token, which no longer works; the store's does.
    const restarted = request();
    await make().authenticate(restarted);
    expect(restarted.headers.authorization).toMatch(/^Bearer token-/);
  });

  it("Google service accounts: an RS256 assertion the endpoint verifies, exchanged for a token", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    endpoint.assertionKey = publicKey;
    const key = JSON.stringify({
      client_email: "switchboard@project.iam.gserviceaccount.com",
      private_key: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      token_uri: endpoint.url,
    });
    const authenticator = createAuthenticator({
      scheme: {
        name: "google",
        type: "google-service-account",
        scopes: ["https://www.googleapis.com/auth/cloud-platform"],
      },
      credential: credential("google-service-account", { "service-account.json": key }),
      config: {},
      ...(dispatcher ? { dispatcher } : {}),
    });
    const signed = request();
    await authenticator.authenticate(signed);
    expect(signed.headers.authorization).toMatch(/^Bearer token-/);
    expect(endpoint.requests.at(-1)?.form.get("grant_type")).toBe(
      "urn:ietf:params:oauth:grant-type:jwt-bearer",
    );
  });

  it("AWS SigV4: the AWS test suite's get-vanilla case", async () => {
    const authenticator = createAuthenticator({
      scheme: { name: "aws", type: "aws-sigv4", aws: { service: "service", region: "us-east-1" } },
      credential: credential("aws-sigv4", {
        "aws-access-key-id": "AKIDEXAMPLE",
        "aws-secret-access-key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      }),
      config: {},
    });
    const signed: OutboundRequest = {
      method: "GET",
      url: new URL("https://example.amazonaws.com/"),
      headers: { "x-amz-date": "20150830T123600Z" },
    };
    await authenticator.authenticate(signed);
    expect(signed.headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("API keys in a header or the query, bearer tokens, basic auth, HMAC-signed requests", async () => {
    const header = request();
    await createAuthenticator({
      scheme: { name: "key", type: "api-key", apiKey: { name: "Authorization", prefix: "SSWS " } },
      credential: credential("api-key", { "api-key": "k1" }),
      config: {},
    }).authenticate(header);
    expect(header.headers.authorization).toBe("SSWS k1");
    const query = request();
    await createAuthenticator({
      scheme: { name: "key", type: "api-key", apiKey: { name: "X-Key" } },
      credential: credential("api-key", { "api-key": "k2" }, { apiKey: { in: "query", name: "api_key" } }),
      config: {},
    }).authenticate(query);
    expect(query.url.searchParams.get("api_key")).toBe("k2");
    const bearer = request();
    await createAuthenticator({
      scheme: { name: "t", type: "bearer" },
      credential: credential("bearer", { token: "t0k" }),
      config: {},
    }).authenticate(bearer);
    expect(bearer.headers.authorization).toBe("Bearer t0k");
    const basic = request();
    await createAuthenticator({
      scheme: { name: "b", type: "basic" },
      credential: credential("basic", { username: "u", password: "p" }),
      config: {},
    }).authenticate(basic);
    expect(basic.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    const signed: OutboundRequest = {
      method: "POST",
      url: new URL("https://api.example.com/orders"),
      headers: {},
      body: '{"a":1}',
    };
    await createAuthenticator({
      scheme: {
        name: "h",
        type: "hmac",
        hmac: {
          header: "X-Signature",
          signedContent: "{timestamp}{method}{path}{body}",
          timestampHeader: "X-Timestamp",
        },
      },
      credential: credential("hmac", { secret: "s" }),
      config: {},
      now: () => 1_700_000_000_000,
    }).authenticate(signed);
    expect(signed.headers["x-timestamp"]).toBe("1700000000");
    expect(signed.headers["x-signature"]).toBe(
      createHmac("sha256", "s").update('1700000000POST/orders{"a":1}').digest("hex"),
    );
  });

  it("names the missing Secret key, never a value", () => {
    expect(() =>
      createAuthenticator({
        scheme: { name: "t", type: "bearer" },
        credential: credential("bearer", {}),
        config: {},
      }),
    ).toThrow('the Credential\'s Secret "vendor" has no "token"');
  });
});
