import { AuthenticationV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";

describe("ServiceAccount tokens: TokenRequest and TokenReview", () => {
  let api: ApiServerFixture;
  beforeAll(async () => {
    api = await startApiServer();
    await api.kubeConfig.makeApiClient(CoreV1Api).createNamespacedServiceAccount({
      namespace: "default",
      body: { metadata: { name: "router" } },
    });
  });
  afterAll(() => api.close());

  it("issues a token for a ServiceAccount that authenticates to the server and that TokenReview names", async () => {
    const core = api.kubeConfig.makeApiClient(CoreV1Api);
    const issued = await core.createNamespacedServiceAccountToken({
      name: "router",
      namespace: "default",
      body: { spec: { audiences: ["switchboard"], expirationSeconds: 600 } },
    });
    const token = issued.status?.token ?? "";
    expect(token).not.toBe("");
    expect(Date.parse(String(issued.status?.expirationTimestamp)) - Date.now()).toBeGreaterThan(590_000);

    const reviews = api.kubeConfig.makeApiClient(AuthenticationV1Api);
    const review = await reviews.createTokenReview({ body: { spec: { token, audiences: ["switchboard"] } } });
    expect(review.status).toMatchObject({
      authenticated: true,
      user: {
        username: "system:serviceaccount:default:router",
        groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
      },
    });
    const otherAudience = await reviews.createTokenReview({
      body: { spec: { token, audiences: ["vault"] } },
    });
    expect(otherAudience.status?.authenticated).toBeFalsy();
    const forged = await reviews.createTokenReview({ body: { spec: { token: "forged" } } });
    expect(forged.status).toMatchObject({ error: "invalid bearer token" });

    // The token is a credential for the server itself, as in a cluster.
    const asServiceAccount = new KubeConfig();
    asServiceAccount.loadFromOptions({
      clusters: [
        {
          name: "c",
          server: api.running.url,
          caData: Buffer.from(api.running.caPem ?? "").toString("base64"),
        },
      ],
      users: [{ name: "router", token }],
      contexts: [{ name: "c", cluster: "c", user: "router" }],
      currentContext: "c",
    });
    const namespaces = await asServiceAccount.makeApiClient(CoreV1Api).readNamespace({ name: "default" });
    expect(namespaces.metadata?.name).toBe("default");
  });

  it("refuses tokens for ServiceAccounts that do not exist and lifetimes under ten minutes", async () => {
    const core = api.kubeConfig.makeApiClient(CoreV1Api);
    await expect(
      core.createNamespacedServiceAccountToken({
        name: "ghost",
        namespace: "default",
        body: { spec: { audiences: [] } },
      }),
    ).rejects.toMatchObject({ code: 404 });
    await expect(
      core.createNamespacedServiceAccountToken({
        name: "router",
        namespace: "default",
        body: { spec: { audiences: [], expirationSeconds: 60 } },
      }),
    ).rejects.toThrow(
      /spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/,
    );
  });
});
