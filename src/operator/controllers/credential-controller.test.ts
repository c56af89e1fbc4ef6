import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../../test/support/eventually.js";
import type { OperatorFixture } from "../../../test/support/operator-fixture.js";
import { startOperatorFixture } from "../../../test/support/operator-fixture.js";
import type { TokenEndpoint } from "../../../test/support/token-endpoint.js";
import { startTokenEndpoint } from "../../../test/support/token-endpoint.js";
import { createCertificateAuthority } from "../../pki/certificate-authority.js";
import { issueServingCertificate } from "../../pki/serving-certificate.js";
import { secretKeysOnly } from "./credential-reconciler.js";

const credentials = "/apis/switchboard.dev/v1alpha1/namespaces/default/credentials";
const secrets = "/api/v1/namespaces/default/secrets";
type Status = {
  conditions?: { type: string; status: string; reason: string; message: string }[];
  secretResourceVersion?: string;
  expirationTime?: string;
  lastVerifiedTime?: string;
};

describe("Credential controller", () => {
  let fixture: OperatorFixture;
  let client: OperatorFixture["client"];
  let core: OperatorFixture["core"];
  let endpoint: TokenEndpoint;
  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    fixture = await startOperatorFixture([], {
      resyncPeriodMs: 100,
      credentialChecks: { intervalMs: 300, extraCaPem: endpoint.caPem },
    });
    ({ client, core } = fixture);
  });
  afterAll(async () => {
    await fixture.stop();
    await endpoint.close();
  });

  const status = async (name: string): Promise<Status> =>
    (await client.request<{ status?: Status }>("GET", `${credentials}/${name}`)).status ?? {};
  const ready = async (name: string) => (await status(name)).conditions?.find((c) => c.type === "Ready");
  const events = async (name: string) =>
    (await core.listNamespacedEvent({ namespace: "default", fieldSelector: `involvedObject.name=${name}` }))
      .items;
  const credential = (name: string, spec: Record<string, unknown>) =>
    client.request("POST", credentials, {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Credential",
      metadata: { name },
      spec,
    });

  it("is not Ready while its Secret is missing or lacks a key, naming what to do, and checks the token endpoint once it is right", async () => {
    endpoint.clients.set("ticket-app", "s3cret-value");
    await credential("oauth", {
      type: "oauth2-client-credentials",
      secretRef: { name: "oauth-secret", keys: { clientSecret: "secret" } },
      oauth2: { tokenURL: endpoint.url, scopes: ["tickets:read"] },
    });
    await eventually(async () =>
      expect(await ready("oauth")).toMatchObject({
        status: "False",
        reason: "SecretNotFound",
        message: 'Secret "oauth-secret" not found in namespace default: create it',
      }),
    );
    await eventually(async () =>
      expect((await events("oauth")).find((e) => e.reason === "SecretNotFound")?.type).toBe("Warning"),
    );

    await core.createNamespacedSecret({
      namespace: "default",
      body: { metadata: { name: "oauth-secret" }, stringData: { "client-id": "ticket-app" } },
    });
    await eventually(async () =>
      expect(await ready("oauth")).toMatchObject({
        reason: "SecretKeyMissing",
        message:
          'Secret "oauth-secret" lacks "secret" (spec.secretRef.keys.clientSecret), which a oauth2-client-credentials credential needs',
      }),
    );

    await client.request(
      "PATCH",
      `${secrets}/oauth-secret`,
      { stringData: { secret: "wrong" } },
      "application/merge-patch+json",
    );
    await eventually(async () =>
      expect(await ready("oauth")).toMatchObject({
        status: "False",
        reason: "TokenRequestFailed",
        message: `token endpoint ${endpoint.url} answered 401 invalid_client: Client authentication failed: check the client id and secret in Secret "oauth-secret" and spec.oauth2`,
      }),
    );

    await client.request(
      "PATCH",
      `${secrets}/oauth-secret`,
      { stringData: { secret: "s3cret-value" } },
      "application/merge-patch+json",
    );
    await eventually(async () => {
      const current = await status("oauth");
      expect(current.conditions?.[0]).toMatchObject({
        status: "True",
        reason: "Verified",
        message: `token endpoint ${endpoint.url} issued a Bearer token valid for 3600 s`,
      });
      expect(current.secretResourceVersion).toBeDefined();
    });
    expect(endpoint.requests.at(-1)?.form.get("scope")).toBe("tickets:read");
    const everything = JSON.stringify([
      await client.request("GET", `${credentials}/oauth`),
      await events("oauth"),
      await (await fetch(`http://127.0.0.1:${fixture.operator.healthPort}/metrics`)).text(),
    ]);
    expect(everything).not.toContain("s3cret-value");
    expect(everything).not.toContain("token-for-ticket-app");
  });

  it("asks the token endpoint again on a schedule, writing nothing while the answer stays the same", async () => {
    await eventually(async () => expect((await ready("oauth"))?.reason).toBe("Verified"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const asked = endpoint.requests.length;
    fixture.server.stats.reset();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(endpoint.requests.length - asked).toBeGreaterThanOrEqual(3);
    expect(fixture.server.stats.total({ writes: true })).toBe(0);
    const metrics = await (await fetch(`http://127.0.0.1:${fixture.operator.healthPort}/metrics`)).text();
    expect(metrics).toMatch(
      /switchboard_credential_checks_total\{namespace="default",credential="oauth",result="ok"\} [3-9]/,
    );
  });

  it("an endpoint that stops answering turns the Credential not Ready; it recovers by itself", async () => {
    endpoint.failWith = 503;
    await eventually(async () =>
      expect(await ready("oauth")).toMatchObject({
        status: "False",
        reason: "TokenEndpointUnreachable",
        message: `token endpoint ${endpoint.url} answered 503 temporarily_unavailable; retrying every 0.3 s`,
      }),
    );
    endpoint.failWith = undefined;
    await eventually(async () => expect((await ready("oauth"))?.reason).toBe("Verified"));
  });

  it("warns ahead of an expiry the Secret declares, and fails once it has passed", async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    await core.createNamespacedSecret({
      namespace: "default",
      body: {
        metadata: { name: "temporary-token", annotations: { "switchboard.dev/expires-at": soon } },
        stringData: { token: "t0ken-value" },
      },
    });
    await credential("temporary", { type: "bearer", secretRef: { name: "temporary-token" } });
    await eventually(async () => {
      const current = await status("temporary");
      expect(current.expirationTime).toBe(soon);
      expect(current.conditions?.[0]).toMatchObject({
        status: "True",
        reason: "Expiring",
        message: `Secret "temporary-token" expires at ${soon} (from annotation switchboard.dev/expires-at): rotate it before then`,
      });
    });
    await eventually(async () =>
      expect((await events("temporary")).find((e) => e.reason === "Expiring")?.type).toBe("Warning"),
    );

    await client.request(
      "PATCH",
      `${secrets}/temporary-token`,
      { metadata: { annotations: { "switchboard.dev/expires-at": "2020-01-01T00:00:00Z" } } },
      "application/merge-patch+json",
    );
    await eventually(async () =>
      expect(await ready("temporary")).toMatchObject({ status: "False", reason: "Expired" }),
    );

    await client.request(
      "PATCH",
      `${secrets}/temporary-token`,
      { metadata: { annotations: { "switchboard.dev/expires-at": "next tuesday" } } },
      "application/merge-patch+json",
    );
    await eventually(async () =>
      expect(await ready("temporary")).toMatchObject({
        status: "False",
        reason: "InvalidSpec",
        message:
          'Secret "temporary-token": annotation switchboard.dev/expires-at must be an RFC 3339 time such as 2027-01-31T00:00:00Z',
      }),
    );
  });

  it("reads the expiry of a TLS Secret from its certificate", async () => {
    const ca = await createCertificateAuthority();
    const certificate = await issueServingCertificate(ca, {
      dnsNames: ["client.example.com"],
      validityMs: 86_400_000,
    });
    await core.createNamespacedSecret({
      namespace: "default",
      body: {
        metadata: { name: "client-cert" },
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": certificate.certPem, "tls.key": certificate.keyPem, token: "t" },
      },
    });
    await credential("with-certificate", { type: "bearer", secretRef: { name: "client-cert" } });
    await eventually(async () => {
      const current = await status("with-certificate");
      expect(current.conditions?.[0]).toMatchObject({ status: "True", reason: "Expiring" });
      expect(current.conditions?.[0]?.message).toContain("(from its certificate (tls.crt))");
      const left = Date.parse(current.expirationTime ?? "") - Date.now();
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(86_400_000);
    });
  });

  it("caches Secrets as metadata, type and key names only", () => {
    const cached = secretKeysOnly({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", managedFields: [] },
      data: { token: "c2VjcmV0" },
      type: "Opaque",
    });
    expect(cached).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      type: "Opaque",
      data: { token: "" },
    });
  });
});
