import { CoreV1Api } from "@kubernetes/client-node";
import { K8s, kind } from "kubernetes-fluent-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";

describe("list with selectors and paging", () => {
  let api: ApiServerFixture;
  let core: CoreV1Api;
  beforeAll(async () => {
    api = await startApiServer();
    core = api.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "listing" } } });
    for (let i = 0; i < 12; i++) {
      await core.createNamespacedConfigMap({
        namespace: "listing",
        body: {
          metadata: {
            name: `cm-${String(i).padStart(2, "0")}`,
            labels: { tier: i % 3 === 0 ? "db" : "web", index: String(i) },
          },
        },
      });
    }
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "elsewhere", labels: { tier: "web" } } },
    });
  });
  afterAll(() => api.close());

  const names = (list: { items: { metadata?: { name?: string } }[] }): string[] =>
    list.items.map((i) => i.metadata?.name ?? "");

  it("lists sorted by name with the collection's resourceVersion", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: "listing" });
    expect(names(list)).toEqual([...Array(12).keys()].map((i) => `cm-${String(i).padStart(2, "0")}`));
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it("a list across namespaces (/api/v1/configmaps) sees every namespace", async () => {
    const list = await core.listConfigMapForAllNamespaces({ labelSelector: "tier=web" });
    expect(names(list)).toContain("elsewhere");
    expect(list.items.filter((i) => i.metadata?.namespace === "listing")).toHaveLength(8);
  });

  it.each([
    ["tier=db", 4],
    ["tier==db", 4],
    ["tier!=db", 8],
    ["tier in (db,web)", 12],
    ["tier notin (db)", 8],
    ["tier", 12],
    ["!tier", 0],
    ["tier=web,index in (1,2,3)", 2],
    ["index>9", 2],
  ])("label selector %s matches %i objects", async (selector, count) => {
    const list = await core.listNamespacedConfigMap({ namespace: "listing", labelSelector: selector });
    expect(list.items).toHaveLength(count);
  });

  it("field selectors on metadata.name and metadata.namespace", async () => {
    expect(
      names(
        await core.listNamespacedConfigMap({ namespace: "listing", fieldSelector: "metadata.name=cm-03" }),
      ),
    ).toEqual(["cm-03"]);
    expect(
      await core.listNamespacedConfigMap({ namespace: "listing", fieldSelector: "metadata.name!=cm-03" }),
    ).toMatchObject({ items: expect.any(Array) });
    const all = await core.listConfigMapForAllNamespaces({ fieldSelector: "metadata.namespace=default" });
    expect(names(all)).toEqual(["elsewhere"]);
  });

  it("limit and continue page through the whole list with remainingItemCount", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: "listing",
        limit: 5,
        ...(token ? { _continue: token } : {}),
      });
      seen.push(...names(page));
      if (pages === 0) expect(page.metadata?.remainingItemCount).toBe(7);
      token = page.metadata?._continue;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  it("a malformed continue token is 400", async () => {
    const response = await api.raw("GET", "/api/v1/namespaces/listing/configmaps?limit=2&continue=garbage");
    expect(response.status).toBe(400);
  });

  it("kubernetes-fluent-client Get lists with a label filter", async () => {
    process.env.KUBECONFIG = api.kubeconfigPath;
    const list = await K8s(kind.ConfigMap).InNamespace("listing").WithLabel("tier", "db").Get();
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["cm-00", "cm-03", "cm-06", "cm-09"]);
  });

  it("a Table is served when asked for, with the kind's columns", async () => {
    const response = await api.raw("GET", "/api/v1/namespaces/listing/configmaps?limit=2", undefined, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
    });
    expect(response.json.kind).toBe("Table");
    expect(response.json.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      "Name",
      "Data",
      "Age",
    ]);
    expect(response.json.rows[0].cells[0]).toBe("cm-00");
    expect(response.json.rows[0].object.kind).toBe("PartialObjectMetadata");
  });
});
