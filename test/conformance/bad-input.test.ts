import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { widgetCrd } from "../support/widget-crd.js";

describe("bad input gets kube-apiserver's status and message, and the server keeps serving", () => {
  let api: ApiServerFixture;
  beforeAll(async () => {
    api = await startApiServer({ crds: [widgetCrd()] });
  });
  afterAll(() => api.close());

  const cases: {
    name: string;
    method: string;
    path: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    code: number;
    reason: string;
    message: RegExp;
  }[] = [
    {
      name: "malformed JSON",
      method: "POST",
      path: "/api/v1/namespaces/default/configmaps",
      body: '{"apiVersion": "v1", "kind": ',
      code: 400,
      reason: "BadRequest",
      message:
        /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error/,
    },
    {
      name: "malformed YAML",
      method: "POST",
      path: "/api/v1/namespaces/default/configmaps",
      body: "apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed",
      headers: { "content-type": "application/yaml" },
      code: 400,
      reason: "BadRequest",
      message: /error converting YAML to JSON/,
    },
    {
      name: "an unsupported content type",
      method: "POST",
      path: "/api/v1/namespaces/default/configmaps",
      body: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      code: 415,
      reason: "UnsupportedMediaType",
      message:
        /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml/,
    },
    {
      name: "a strategic merge patch on a custom resource",
      method: "PATCH",
      path: "/apis/example.switchboard.dev/v1/namespaces/default/widgets/any",
      body: "{}",
      headers: { "content-type": "application/strategic-merge-patch+json" },
      code: 415,
      reason: "UnsupportedMediaType",
      message:
        /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/,
    },
    {
      name: "a kind that does not match the URL",
      method: "POST",
      path: "/api/v1/namespaces/default/configmaps",
      body: JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } }),
      code: 400,
      reason: "BadRequest",
      message: /kind/,
    },
    {
      name: "an apiVersion that does not match the URL",
      method: "POST",
      path: "/api/v1/namespaces/default/configmaps",
      body: JSON.stringify({ apiVersion: "apps/v1", kind: "ConfigMap", metadata: { name: "x" } }),
      code: 400,
      reason: "BadRequest",
      message: /^the API version in the data \(apps\/v1\) does not match the expected API version \(v1\)$/,
    },
    {
      name: "an unknown resource",
      method: "GET",
      path: "/apis/example.switchboard.dev/v1/namespaces/default/doodads",
      code: 404,
      reason: "NotFound",
      message: /^the server could not find the requested resource$/,
    },
    {
      name: "a bad label selector",
      method: "GET",
      path: "/api/v1/namespaces/default/configmaps?labelSelector=" + encodeURIComponent("a in (b"),
      code: 400,
      reason: "BadRequest",
      message: /unable to parse requirement/,
    },
    {
      name: "an unsupported field selector on a kind with only the default fields",
      method: "GET",
      path: "/api/v1/namespaces/default/configmaps?fieldSelector=spec.foo%3Dbar",
      code: 400,
      reason: "BadRequest",
      message: /^"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"$/,
    },
    {
      name: "an unsupported field selector on a kind with its own fields",
      method: "GET",
      path: "/api/v1/namespaces/default/secrets?fieldSelector=spec.foo%3Dbar",
      code: 400,
      reason: "BadRequest",
      message: /^field label not supported: spec.foo$/,
    },
    {
      name: "a body over 3 MiB",
      method: "POST",
      path: "/api/v1/namespaces/default/configmaps",
      body: Buffer.alloc(3 * 1024 * 1024 + 10, 0x61),
      code: 413,
      reason: "RequestEntityTooLarge",
      message: /^Request entity too large: limit is 3145728$/,
    },
    {
      name: "a write verb on a collection path",
      method: "PUT",
      path: "/api/v1/namespaces/default/configmaps",
      body: "{}",
      code: 405,
      reason: "MethodNotAllowed",
      message: /does not allow this method/,
    },
    {
      name: "a malformed escape in the path",
      method: "GET",
      path: "/api/v1/namespaces/default/configmaps/%ZZ",
      code: 400,
      reason: "BadRequest",
      message: /invalid URL escape/,
    },
    {
      name: "a request without a token",
      method: "GET",
      path: "/api/v1/namespaces",
      headers: { authorization: "" },
      code: 401,
      reason: "Unauthorized",
      message: /^Unauthorized$/,
    },
    {
      name: "a request with a wrong token",
      method: "GET",
      path: "/api/v1/namespaces",
      headers: { authorization: "Bearer wrong" },
      code: 401,
      reason: "Unauthorized",
      message: /^Unauthorized$/,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.code} ${c.reason}`, async () => {
      const response = await api.raw(c.method, c.path, c.body, c.headers);
      expect(response.status).toBe(c.code);
      expect(response.json).toMatchObject({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: c.reason,
        code: c.code,
      });
      expect(response.json.message).toMatch(c.message);
    });
  }

  it("an invalid custom resource is 422 Invalid with a cause per field, in kube's message format", async () => {
    const response = await api.raw("POST", "/apis/example.switchboard.dev/v1/namespaces/default/widgets", {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "bad" },
      spec: { size: "huge", color: "Not-Valid", replicas: "many" },
    });
    expect(response.status).toBe(422);
    expect(response.json.reason).toBe("Invalid");
    expect(response.json.message).toMatch(/^Widget\.example\.switchboard\.dev "bad" is invalid: \[/);
    const fields = response.json.details.causes.map((c: { field: string }) => c.field);
    expect(fields).toEqual(expect.arrayContaining(["spec.size", "spec.color", "spec.replicas"]));
    expect(response.json.details).toMatchObject({
      name: "bad",
      group: "example.switchboard.dev",
      kind: "Widget",
    });
  });

  it("malformed metadata on a custom resource is a decoding error (400), not a validation error", async () => {
    const response = await api.raw("POST", "/apis/example.switchboard.dev/v1/namespaces/default/widgets", {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "bad-metadata", labels: "not-a-map" },
      spec: { size: "small" },
    });
    expect(response.status).toBe(400);
    expect(response.json.message).toContain(
      "cannot unmarshal string into Go struct field ObjectMeta.labels of type map[string]string",
    );
  });

  it("after all of that the server still answers", async () => {
    expect((await api.raw("GET", "/api/v1/namespaces/default/configmaps")).status).toBe(200);
  });
});
