import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { widgetCrd } from "../support/widget-crd.js";

const widgets = "/apis/example.switchboard.dev/v1/namespaces/default/widgets";
const widget = (name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "example.switchboard.dev/v1",
  kind: "Widget",
  metadata: { name },
  spec,
  ...extra,
});

describe("custom resources against their CRD's structural schema", () => {
  let api: ApiServerFixture;
  beforeAll(async () => {
    api = await startApiServer({ crds: [widgetCrd()] });
  });
  afterAll(() => api.close());

  it("a created CRD reports NamesAccepted and Established, its storedVersions and the cleanup finalizer", async () => {
    const crd = await api.raw(
      "GET",
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.switchboard.dev",
    );
    expect(
      crd.json.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`),
    ).toEqual(["NamesAccepted=True", "Established=True"]);
    expect(crd.json.status.storedVersions).toEqual(["v1"]);
    expect(crd.json.metadata.finalizers).toEqual(["customresourcecleanup.apiextensions.k8s.io"]);
  });

  it("defaults from the schema are applied on create", async () => {
    const created = await api.raw("POST", widgets, widget("defaulted", { size: "small" }));
    expect(created.status).toBe(201);
    expect(created.json.spec).toEqual({ size: "small", color: "blue", replicas: 1, maxReplicas: 10 });
  });

  it("unknown fields are pruned; fieldValidation=Warn says so in a Warning header, Strict refuses with 400", async () => {
    const warned = await api.raw(
      "POST",
      `${widgets}?fieldValidation=Warn`,
      widget("pruned", { size: "small", bogus: 1, extra: { kept: true } }),
    );
    expect(warned.status).toBe(201);
    expect(warned.json.spec.bogus).toBeUndefined();
    expect(warned.json.spec.extra).toEqual({ kept: true });
    expect(warned.headers.warning).toContain('unknown field \\"spec.bogus\\"');
    const strict = await api.raw(
      "POST",
      `${widgets}?fieldValidation=Strict`,
      widget("strict", { size: "small", bogus: 1 }),
    );
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe('strict decoding error: unknown field "spec.bogus"');
  });

  it.each([
    [
      { size: "huge" },
      "spec.size",
      'Unsupported value: "huge": supported values: "small", "medium", "large"',
    ],
    [{}, "spec.size", "Required value"],
    [
      { size: "small", color: "Red1" },
      "spec.color",
      "Invalid value: \"Red1\": spec.color in body should match '^[a-z]+$'",
    ],
    [
      { size: "small", replicas: "two" },
      "spec.replicas",
      'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ],
    [
      { size: "small", replicas: -1 },
      "spec.replicas",
      "Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
    ],
    [
      { size: "small", replicas: 5, maxReplicas: 2 },
      "spec",
      'Invalid value: "object": replicas must not exceed maxReplicas',
    ],
    [
      {
        size: "small",
        ports: [
          { name: "a", port: 1 },
          { name: "a", port: 2 },
        ],
      },
      "spec.ports[1]",
      'Duplicate value: map[string]interface {}{"name":"a"}',
    ],
  ])("spec %j is 422 at %s: %s", async (spec, field, message) => {
    const response = await api.raw("POST", widgets, widget("invalid", spec));
    expect(response.status).toBe(422);
    expect(response.json.details.causes).toContainEqual(expect.objectContaining({ field, message }));
    expect(response.json.message).toContain(`${field}: ${message}`);
  });

  it("metadata is validated as ObjectMeta: label values, finalizer names", async () => {
    const response = await api.raw("POST", widgets, {
      ...widget("bad-meta", { size: "small" }),
      metadata: { name: "bad-meta", labels: { ok: "not valid!" }, finalizers: ["no spaces allowed"] },
    });
    expect(response.status).toBe(422);
    const fields = response.json.details.causes.map((c: { field: string }) => c.field);
    // kube reports finalizer names against the list, not an index.
    expect(fields).toEqual(["metadata.labels", "metadata.finalizers"]);
  });

  it("a transition rule (oldSelf) is checked on update, not on create", async () => {
    const crd = widgetCrd();
    crd.metadata.name = "locks.example.switchboard.dev";
    const spec = crd.spec as {
      names: Record<string, unknown>;
      versions: { schema: { openAPIV3Schema: Record<string, any> } }[];
    };
    spec.names = { plural: "locks", singular: "lock", kind: "Lock" };
    for (const version of spec.versions) {
      version.schema.openAPIV3Schema.properties.spec.properties.size["x-kubernetes-validations"] = [
        { rule: "self == oldSelf", message: "size is immutable" },
      ];
    }
    expect(
      (await api.raw("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).status,
    ).toBe(201);
    const locks = "/apis/example.switchboard.dev/v1/namespaces/default/locks";
    expect((await api.raw("POST", locks, { ...widget("l", { size: "small" }), kind: "Lock" })).status).toBe(
      201,
    );
    const changed = await api.raw(
      "PATCH",
      `${locks}/l`,
      { spec: { size: "large" } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(changed.status).toBe(422);
    expect(changed.json.message).toContain('spec.size: Invalid value: "string": size is immutable');
  });

  it("a CRD whose CEL rule does not compile is refused with 422 naming the rule", async () => {
    const crd = widgetCrd();
    crd.metadata.name = "brokens.example.switchboard.dev";
    const spec = crd.spec as {
      names: Record<string, unknown>;
      versions: { schema: { openAPIV3Schema: Record<string, any> } }[];
    };
    spec.names = { plural: "brokens", kind: "Broken" };
    spec.versions[0]!.schema.openAPIV3Schema.properties.spec["x-kubernetes-validations"] = [
      { rule: "self.replicas <" },
    ];
    const response = await api.raw("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    expect(response.status).toBe(422);
    expect(response.json.message).toContain("x-kubernetes-validations[0]");
  });

  it("a CRD with a name that is not plural.group is refused", async () => {
    const crd = widgetCrd();
    crd.metadata.name = "wrong.example.switchboard.dev";
    const response = await api.raw("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    expect(response.status).toBe(422);
    expect(response.json.details.causes).toContainEqual(
      expect.objectContaining({
        field: "metadata.name",
        message: 'Invalid value: "wrong.example.switchboard.dev": must be spec.names.plural+"."+spec.group',
      }),
    );
  });

  it("a cluster-scoped CRD is served without namespaces, and refuses a namespaced path", async () => {
    const crd = widgetCrd({ scope: "Cluster" });
    crd.metadata.name = "globals.example.switchboard.dev";
    (crd.spec as { names: Record<string, unknown> }).names = { plural: "globals", kind: "Global" };
    await api.raw("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    const created = await api.raw("POST", "/apis/example.switchboard.dev/v1/globals", {
      ...widget("g", { size: "small" }),
      kind: "Global",
    });
    expect(created.status).toBe(201);
    expect(created.json.metadata.namespace).toBeUndefined();
    expect(
      (await api.raw("GET", "/apis/example.switchboard.dev/v1/namespaces/default/globals/g")).status,
    ).toBe(404);
  });

  it("a Table for a custom resource carries its printer columns with JSONPath filters", async () => {
    await api.raw(
      "PATCH",
      `${widgets}/defaulted/status`,
      { status: { conditions: [{ type: "Ready", status: "True" }] } },
      { "content-type": "application/merge-patch+json" },
    );
    const table = await api.raw("GET", `${widgets}/defaulted`, undefined, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    expect(table.json.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      "Name",
      "Size",
      "Ready",
      "Age",
    ]);
    expect(table.json.rows[0].cells.slice(0, 3)).toEqual(["defaulted", "small", "True"]);
  });

  it("YAML is accepted in and served out", async () => {
    const yamlBody =
      "apiVersion: example.switchboard.dev/v1\nkind: Widget\nmetadata:\n  name: from-yaml\nspec:\n  size: large\n";
    const created = await api.raw("POST", widgets, yamlBody, { "content-type": "application/yaml" });
    expect(created.status).toBe(201);
    const asYaml = await api.raw("GET", `${widgets}/from-yaml`, undefined, { accept: "application/yaml" });
    expect(asYaml.headers["content-type"]).toBe("application/yaml");
    expect(asYaml.text).toContain("size: large");
  });

  it("deletecollection with a label selector deletes only the matching objects", async () => {
    await api.raw("POST", widgets, {
      ...widget("dc-1", { size: "small" }),
      metadata: { name: "dc-1", labels: { batch: "x" } },
    });
    await api.raw("POST", widgets, {
      ...widget("dc-2", { size: "small" }),
      metadata: { name: "dc-2", labels: { batch: "x" } },
    });
    const response = await api.raw("DELETE", `${widgets}?labelSelector=batch%3Dx`);
    expect(response.status).toBe(200);
    expect(response.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      "dc-1",
      "dc-2",
    ]);
    expect((await api.raw("GET", `${widgets}/defaulted`)).status).toBe(200);
  });
});
