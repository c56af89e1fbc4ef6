import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { kubectl } from "../support/kubectl.js";
import type { TestWebhook } from "../support/test-webhook.js";
import { startTestWebhook } from "../support/test-webhook.js";

const configMaps = "/api/v1/namespaces/default/configmaps";
const validating = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";
const mutating = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";

describe("admission webhooks, called by the API server as kube-apiserver calls them", () => {
  let api: ApiServerFixture;
  let webhook: TestWebhook;
  let n = 0;
  const configMap = (labels: Record<string, string> = {}) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `cm-${++n}`, labels },
    data: { a: "1" },
  });
  const register = async (path: string, webhooks: Record<string, unknown>[]) => {
    const name = path === validating ? "test-validating" : "test-mutating";
    await api.raw("DELETE", `${path}/${name}`);
    const created = await api.raw("POST", path, {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: path === validating ? "ValidatingWebhookConfiguration" : "MutatingWebhookConfiguration",
      metadata: { name },
      webhooks,
    });
    expect(created.status).toBe(201);
  };
  const hook = (extra: Record<string, unknown> = {}) => ({
    name: "configmaps.test.example",
    clientConfig: { url: webhook.url, caBundle: webhook.caBundle },
    rules: [
      { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["configmaps"] },
    ],
    sideEffects: "None",
    admissionReviewVersions: ["v1"],
    timeoutSeconds: 2,
    ...extra,
  });

  beforeAll(async () => {
    api = await startApiServer();
    webhook = await startTestWebhook();
  });
  afterAll(async () => {
    await webhook.close();
    await api.close();
  });
  beforeEach(async () => {
    webhook.answer = () => ({ allowed: true });
    webhook.reviews.length = 0;
    await api.raw("DELETE", `${validating}/test-validating`);
    await api.raw("DELETE", `${mutating}/test-mutating`);
  });

  it("sends an AdmissionReview with the object, the operation and the user; a denial fails the write with its message and code", async () => {
    await register(validating, [hook()]);
    webhook.answer = () => ({ allowed: false, status: { code: 403, message: "no configmaps on Sundays" } });
    const denied = await api.raw("POST", configMaps, configMap());
    expect(denied.status).toBe(403);
    expect(denied.json.message).toBe(
      'admission webhook "configmaps.test.example" denied the request: no configmaps on Sundays',
    );
    const review = webhook.reviews[0]?.request;
    expect(review).toMatchObject({
      operation: "CREATE",
      kind: { kind: "ConfigMap" },
      resource: { resource: "configmaps" },
      namespace: "default",
      userInfo: { username: "switchboard-admin" },
      dryRun: false,
    });
    expect(review?.object?.metadata.name).toMatch(/^cm-/);
    expect((await api.raw("GET", `${configMaps}/${review?.object?.metadata.name ?? ""}`)).status).toBe(404);
  });

  it("passes warnings to the client: kubectl prints them", async () => {
    await register(validating, [hook()]);
    webhook.answer = () => ({ allowed: true, warnings: ["label owner is missing"] });
    const result = await kubectl(
      api.kubeconfigPath,
      ["apply", "--server-side", "-f", "-"],
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: warned\ndata:\n  a: '1'\n",
    );
    expect(result.stderr).toContain("Warning: label owner is missing");
    expect(result.code).toBe(0);
  });

  it("fails closed when the webhook cannot be reached (failurePolicy Fail), and lets writes through with Ignore", async () => {
    await register(validating, [
      hook({ clientConfig: { url: "https://127.0.0.1:1/validate", caBundle: webhook.caBundle } }),
    ]);
    const failed = await api.raw("POST", configMaps, configMap());
    expect(failed.status).toBe(500);
    expect(failed.json.message).toMatch(
      /^Internal error occurred: failed calling webhook "configmaps.test.example": /,
    );
    await register(validating, [
      hook({
        failurePolicy: "Ignore",
        clientConfig: { url: "https://127.0.0.1:1/validate", caBundle: webhook.caBundle },
      }),
    ]);
    expect((await api.raw("POST", configMaps, configMap())).status).toBe(201);
  });

  it("times out a webhook that does not answer, and refuses one whose certificate it cannot trust", async () => {
    await register(validating, [hook({ timeoutSeconds: 1 })]);
    webhook.answer = () => "hang";
    const slow = await api.raw("POST", configMaps, configMap());
    expect(slow.status).toBe(500);
    await register(validating, [hook({ clientConfig: { url: webhook.url } })]);
    webhook.answer = () => ({ allowed: true });
    const untrusted = await api.raw("POST", configMaps, configMap());
    expect(untrusted.status).toBe(500);
    expect(untrusted.json.message).toContain("failed calling webhook");
  });

  it("calls only the webhooks whose rules, selectors and matchConditions cover the write", async () => {
    await register(validating, [
      hook({
        objectSelector: { matchLabels: { checked: "yes" } },
        matchConditions: [
          {
            name: "not-exempt",
            expression: "!has(object.metadata.annotations) || !('exempt' in object.metadata.annotations)",
          },
        ],
      }),
    ]);
    webhook.answer = () => ({ allowed: false, status: { message: "checked" } });
    expect((await api.raw("POST", configMaps, configMap())).status).toBe(201);
    expect((await api.raw("POST", configMaps, configMap({ checked: "yes" }))).status).toBe(400);
    const exempt = {
      ...configMap({ checked: "yes" }),
      metadata: { name: `cm-${++n}`, labels: { checked: "yes" }, annotations: { exempt: "" } },
    };
    expect((await api.raw("POST", configMaps, exempt)).status).toBe(201);
    expect(
      (
        await api.raw("POST", "/api/v1/namespaces/default/secrets", {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "s1", labels: { checked: "yes" } },
        })
      ).status,
    ).toBe(201);
    await api.raw("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "quiet", labels: { quiet: "yes" } },
    });
    await register(validating, [
      hook({ namespaceSelector: { matchExpressions: [{ key: "quiet", operator: "DoesNotExist" }] } }),
    ]);
    expect((await api.raw("POST", "/api/v1/namespaces/quiet/configmaps", configMap())).status).toBe(201);
    expect((await api.raw("POST", configMaps, configMap())).status).toBe(400);
  });

  it("applies a mutating webhook's JSON patch before validating webhooks see the object", async () => {
    const patch = Buffer.from(
      JSON.stringify([{ op: "add", path: "/metadata/labels", value: { mutated: "yes" } }]),
    ).toString("base64");
    await register(mutating, [hook({ name: "mutate.test.example" })]);
    await register(validating, [hook()]);
    webhook.answer = (review) =>
      review.request.object?.metadata.labels?.mutated === "yes"
        ? { allowed: true }
        : { allowed: true, patchType: "JSONPatch", patch };
    const created = await api.raw("POST", configMaps, configMap());
    expect(created.status).toBe(201);
    expect(created.json.metadata.labels).toEqual({ mutated: "yes" });
    expect(webhook.reviews).toHaveLength(2);
  });
});
