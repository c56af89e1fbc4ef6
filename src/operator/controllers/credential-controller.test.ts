import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../../test/support/eventually.js";
import type { OperatorFixture } from "../../../test/support/operator-fixture.js";
import { startOperatorFixture } from "../../../test/support/operator-fixture.js";
import { secretKeysOnly } from "./credential-reconciler.js";

const credentials = "/apis/switchboard.dev/v1alpha1/namespaces/default/credentials";

describe("Credential controller", () => {
  let fixture: OperatorFixture;
  let client: OperatorFixture["client"];
  let core: OperatorFixture["core"];
  beforeAll(async () => {
    fixture = await startOperatorFixture();
    ({ client, core } = fixture);
  });
  afterAll(() => fixture.stop());

  const ready = async (name: string) =>
    (
      await client.request<{
        status?: {
          conditions?: { type: string; status: string; reason: string; message: string }[];
          secretResourceVersion?: string;
        };
      }>("GET", `${credentials}/${name}`)
    ).status;

  it("is not Ready while its Secret is missing or lacks a key, naming what to do, and turns Ready when the Secret is right", async () => {
    await client.request("POST", credentials, {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Credential",
      metadata: { name: "oauth" },
      spec: {
        type: "oauth2-client-credentials",
        secretRef: { name: "oauth-secret", keys: { clientSecret: "secret" } },
        oauth2: { tokenURL: "https://auth.example.com/token" },
      },
    });
    await eventually(async () =>
      expect((await ready("oauth"))?.conditions?.[0]).toMatchObject({
        status: "False",
        reason: "SecretNotFound",
        message: 'Secret "oauth-secret" not found in namespace default: create it',
      }),
    );
    await eventually(async () => {
      const events = await core.listNamespacedEvent({
        namespace: "default",
        fieldSelector: "involvedObject.name=oauth,reason=SecretNotFound",
      });
      expect(events.items[0]?.type).toBe("Warning");
    });

    await core.createNamespacedSecret({
      namespace: "default",
      body: { metadata: { name: "oauth-secret" }, stringData: { "client-id": "id" } },
    });
    await eventually(async () =>
      expect((await ready("oauth"))?.conditions?.[0]).toMatchObject({
        reason: "SecretKeyMissing",
        message:
          'Secret "oauth-secret" lacks "secret" (spec.secretRef.keys.clientSecret), which a oauth2-client-credentials credential needs',
      }),
    );

    await client.request(
      "PATCH",
      "/api/v1/namespaces/default/secrets/oauth-secret",
      { stringData: { secret: "s3cret" } },
      "application/merge-patch+json",
    );
    await eventually(async () => {
      const status = await ready("oauth");
      expect(status?.conditions?.[0]).toMatchObject({ status: "True", reason: "Succeeded" });
      expect(status?.secretResourceVersion).toBeDefined();
    });
    const everything = JSON.stringify(await client.request("GET", `${credentials}/oauth`));
    expect(everything).not.toContain("s3cret");
  });

  it("caches Secrets as key names only", () => {
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
      data: { token: "" },
    });
  });
});
