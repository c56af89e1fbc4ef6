import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedApiServer } from "../../apiserver/embedded-api-server.js";
import { KubeClient } from "../../operator/kube/kube-client.js";
import { callerAuthorizer } from "./caller-authorizer.js";
import { tokenReviewer } from "./token-review.js";

describe("action API callers, authenticated by TokenReview against the API server", () => {
  const server = new EmbeddedApiServer({ namespaces: ["team-a", "team-b"] });
  const tokens: Record<string, string> = {};
  let kubeConfig: KubeConfig;
  beforeAll(async () => {
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromString((await server.start()).kubeconfig);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    for (const namespace of ["team-a", "team-b"]) {
      await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "router" } } });
      const issued = await core.createNamespacedServiceAccountToken({
        name: "router",
        namespace,
        body: { spec: { audiences: [] } },
      });
      tokens[namespace] = issued.status?.token ?? "";
    }
  });
  afterAll(() => server.stop());

  it("lets in the ServiceAccounts the Integration lists, refuses others by name, and unknown tokens", async () => {
    const authorize = callerAuthorizer({
      actionAPI: { allowedServiceAccounts: [{ name: "router" }] },
      namespace: "team-a",
      review: tokenReviewer(new KubeClient(kubeConfig)),
    });
    expect(await authorize(`Bearer ${tokens["team-a"] ?? ""}`)).toEqual({
      allowed: true,
      caller: "system:serviceaccount:team-a:router",
    });
    expect(await authorize(`Bearer ${tokens["team-b"] ?? ""}`)).toMatchObject({
      allowed: false,
      status: 403,
    });
    expect(await authorize("Bearer not-a-token")).toMatchObject({ allowed: false, status: 401 });
  });
});
