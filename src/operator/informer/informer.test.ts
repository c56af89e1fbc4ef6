import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedApiServer } from "../../apiserver/embedded-api-server.js";
import type { KubeObject } from "../../apiserver/types.js";
import { eventually } from "../../../test/support/eventually.js";
import { KubeClient } from "../kube/kube-client.js";
import { Informer } from "./informer.js";

const log = pino({ level: "silent" });

describe("Informer (list + watch + cache + indexes) against the embedded API server", () => {
  const server = new EmbeddedApiServer({ watchCacheSize: 10, bookmarkIntervalMs: 100 });
  let client: KubeClient;
  let core: CoreV1Api;
  beforeAll(async () => {
    const running = await server.start();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(running.kubeconfig);
    client = new KubeClient(kubeConfig);
    core = kubeConfig.makeApiClient(CoreV1Api);
  });
  afterAll(() => server.stop());

  const configMap = (name: string, ref?: string) => ({
    metadata: { name, ...(ref ? { labels: { ref } } : {}) },
    data: { v: "1" },
  });

  const start = async (namespace: string): Promise<{ informer: Informer; events: string[] }> => {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const informer = new Informer({
      client,
      path: `/api/v1/namespaces/${namespace}/configmaps`,
      indexes: { byRef: (o: KubeObject) => (o.metadata.labels?.ref ? [o.metadata.labels.ref] : []) },
      backoff: { initialMs: 50, maxMs: 200 },
      log,
    });
    const events: string[] = [];
    informer.on("add", (o) => events.push(`add ${o.metadata.name}`));
    informer.on("update", (o) => events.push(`update ${o.metadata.name}`));
    informer.on("delete", (o) => events.push(`delete ${o.metadata.name}`));
    return { informer, events };
  };

  it("lists into the cache, then follows adds, updates and deletes; indexes find dependents", async () => {
    const { informer, events } = await start("informer-basic");
    await core.createNamespacedConfigMap({
      namespace: "informer-basic",
      body: configMap("existing", "cred-a"),
    });
    await informer.start();
    expect(informer.get("informer-basic", "existing")?.data).toEqual({ v: "1" });
    await core.createNamespacedConfigMap({ namespace: "informer-basic", body: configMap("new", "cred-a") });
    await core.replaceNamespacedConfigMap({
      name: "new",
      namespace: "informer-basic",
      body: { ...configMap("new", "cred-b"), data: { v: "2" } },
    });
    await core.deleteNamespacedConfigMap({ name: "existing", namespace: "informer-basic" });
    await eventually(() =>
      expect(events).toEqual(["add existing", "add new", "update new", "delete existing"]),
    );
    expect(informer.byIndex("byRef", "cred-b").map((o) => o.metadata.name)).toEqual(["new"]);
    expect(informer.byIndex("byRef", "cred-a")).toEqual([]);
    informer.stop();
  });

  it("resumes from the last resourceVersion when its watch is dropped, missing nothing and listing nothing again", async () => {
    const { informer, events } = await start("informer-resume");
    await informer.start();
    server.stats.reset();
    server.faults.dropWatches();
    await core.createNamespacedConfigMap({ namespace: "informer-resume", body: configMap("while-dropped") });
    await eventually(() => expect(events).toEqual(["add while-dropped"]));
    expect(server.stats.total({ verb: "list", resource: "configmaps" })).toBe(0);
    informer.stop();
  });

  it("lists again after 410 Gone and reports what changed meanwhile, deletions included", async () => {
    const { informer, events } = await start("informer-gone");
    await core.createNamespacedConfigMap({ namespace: "informer-gone", body: configMap("doomed") });
    await informer.start();
    // Hold the informer's next watch while changes happen and the window moves past its version.
    server.faults.addLatency({ verb: "watch", resource: "configmaps", milliseconds: 300 });
    server.stats.reset();
    server.faults.dropWatches();
    await core.deleteNamespacedConfigMap({ name: "doomed", namespace: "informer-gone" });
    await core.createNamespacedConfigMap({ namespace: "informer-gone", body: configMap("born") });
    for (const collection of server.store.collections()) collection.compact(server.store.revision);
    await eventually(() => expect([...events].sort()).toEqual(["add born", "add doomed", "delete doomed"]));
    server.faults.clear();
    expect(server.stats.total({ verb: "list", resource: "configmaps" })).toBe(1);
    informer.stop();
  });

  it("backs off on server errors instead of retrying hot, and recovers", async () => {
    const { informer, events } = await start("informer-errors");
    server.stats.reset();
    server.faults.failNext({ verb: "list", resource: "configmaps", count: 3, code: 500 });
    await informer.start();
    expect(server.stats.total({ verb: "list", resource: "configmaps" })).toBe(4);
    await core.createNamespacedConfigMap({ namespace: "informer-errors", body: configMap("after") });
    await eventually(() => expect(events).toEqual(["add after"]));
    informer.stop();
  });

  it("caches what its transform returns (the operator drops managedFields)", async () => {
    await core.createNamespace({ body: { metadata: { name: "informer-transform" } } });
    await core.createNamespacedConfigMap({
      namespace: "informer-transform",
      body: configMap("with-managed-fields"),
    });
    const informer = new Informer({
      client,
      path: "/api/v1/namespaces/informer-transform/configmaps",
      transform: (o) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined } }),
      log,
    });
    await informer.start();
    const cached = informer.get("informer-transform", "with-managed-fields");
    expect(cached?.metadata.managedFields).toBeUndefined();
    expect(cached?.data).toEqual({ v: "1" });
    informer.stop();
  });
});
