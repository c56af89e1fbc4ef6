import { ApisApi, CoreV1Api, VersionApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { widgetCrd } from "../support/widget-crd.js";

describe("discovery and OpenAPI", () => {
  let api: ApiServerFixture;
  beforeAll(async () => {
    api = await startApiServer({ crds: [widgetCrd()] });
  });
  afterAll(() => api.close());

  it("/version answers without credentials, like system:public-info-viewer allows", async () => {
    const response = await api.raw("GET", "/version", undefined, { authorization: "" });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ major: "1", minor: "32" });
    const version = await api.kubeConfig.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.32/);
  });

  it("/api lists the core version and /api/v1 its resources with verbs, short names and status subresources", async () => {
    const core = await api.kubeConfig.makeApiClient(CoreV1Api).getAPIResources();
    const names = core.resources.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "namespaces",
        "namespaces/status",
        "configmaps",
        "secrets",
        "services",
        "serviceaccounts",
        "events",
      ]),
    );
    const configmaps = core.resources.find((r) => r.name === "configmaps");
    expect(configmaps).toMatchObject({ kind: "ConfigMap", namespaced: true, shortNames: ["cm"] });
    expect(configmaps?.verbs).toEqual(
      expect.arrayContaining([
        "create",
        "get",
        "list",
        "watch",
        "patch",
        "update",
        "delete",
        "deletecollection",
      ]),
    );
  });

  it("/apis lists every group with its preferred version, custom resource groups included", async () => {
    const groups = await api.kubeConfig.makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "apps",
        "coordination.k8s.io",
        "events.k8s.io",
        "networking.k8s.io",
        "policy",
        "apiextensions.k8s.io",
        "admissionregistration.k8s.io",
        "example.switchboard.dev",
      ]),
    );
    const example = groups.groups.find((g) => g.name === "example.switchboard.dev");
    expect(example?.preferredVersion?.version).toBe("v1");
  });

  it("/apis/{group}/{version} lists a CRD's resource with its categories", async () => {
    const response = await api.raw("GET", "/apis/example.switchboard.dev/v1");
    expect(response.status).toBe(200);
    expect(response.json.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: "widgets",
          kind: "Widget",
          namespaced: true,
          categories: ["switchboard"],
          shortNames: ["wd"],
        }),
        expect.objectContaining({ name: "widgets/status" }),
      ]),
    );
  });

  it("answers aggregated discovery (apidiscovery.k8s.io/v2) when asked for it, as kubectl does first", async () => {
    const response = await api.raw("GET", "/apis", undefined, {
      accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
    });
    expect(response.headers["content-type"]).toContain("as=APIGroupDiscoveryList");
    const apps = response.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === "apps");
    expect(apps.versions[0].resources).toEqual([
      expect.objectContaining({ resource: "controllerrevisions", scope: "Namespaced" }),
      expect.objectContaining({ resource: "deployments", scope: "Namespaced" }),
    ]);
  });

  it("serves OpenAPI v3 per group/version with the CRD's schema and x-kubernetes-group-version-kind", async () => {
    const index = await api.raw("GET", "/openapi/v3");
    const entry = index.json.paths["apis/example.switchboard.dev/v1"];
    expect(entry.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/example.switchboard.dev\/v1\?hash=/);
    const doc = await api.raw("GET", entry.serverRelativeURL);
    const schema = doc.json.components.schemas["dev.switchboard.example.v1.Widget"];
    expect(schema["x-kubernetes-group-version-kind"]).toEqual([
      { group: "example.switchboard.dev", version: "v1", kind: "Widget" },
    ]);
    expect(schema.properties.spec.properties.size.description).toBe("How big the widget is.");
  });

  it("an unknown path or group is 404 with a Status, as kube answers", async () => {
    for (const path of [
      "/apis/nope.example.com/v1",
      "/apis/nope.example.com/v1/things",
      "/api/v2/pods",
      "/nonsense",
    ]) {
      const response = await api.raw("GET", path);
      expect(response.status, path).toBe(404);
      expect(response.json).toMatchObject({
        kind: "Status",
        status: "Failure",
        reason: "NotFound",
        code: 404,
      });
    }
  });
});
