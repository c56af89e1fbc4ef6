import { CoreV1Api, makeInformer, PatchStrategy, setHeaderOptions, Watch } from "@kubernetes/client-node";
import type { V1ConfigMap } from "@kubernetes/client-node";
import { K8s, kind } from "kubernetes-fluent-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { eventually } from "../support/eventually.js";
import { openWatch } from "../support/watch-stream.js";

describe("watch", () => {
  let api: ApiServerFixture;
  let core: CoreV1Api;
  beforeAll(async () => {
    api = await startApiServer({ watchCacheSize: 20, bookmarkIntervalMs: 200 });
    core = api.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "watching" } } });
  });
  afterAll(() => api.close());

  const configMap = (name: string, labels: Record<string, string> = {}): V1ConfigMap => ({
    metadata: { name, labels },
    data: { n: "0" },
  });

  it("without a resourceVersion a watch starts with ADDED for every existing object, then streams changes", async () => {
    await core.createNamespacedConfigMap({ namespace: "watching", body: configMap("first") });
    const watch = await openWatch(api, "/api/v1/namespaces/watching/configmaps?watch=true");
    await watch.waitFor(1);
    await core.patchNamespacedConfigMap(
      { name: "first", namespace: "watching", body: { data: { n: "1" } } },
      mergePatch(),
    );
    await core.deleteNamespacedConfigMap({ name: "first", namespace: "watching" });
    const events = await watch.waitFor(3);
    watch.close();
    expect(events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    expect(events[1]?.object.data).toEqual({ n: "1" });
    expect(Number(events[2]?.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(events[1]?.object.metadata.resourceVersion),
    );
  });

  it("from a resourceVersion a watch replays exactly the changes after it", async () => {
    const a = await core.createNamespacedConfigMap({ namespace: "watching", body: configMap("replay-a") });
    await core.createNamespacedConfigMap({ namespace: "watching", body: configMap("replay-b") });
    await core.deleteNamespacedConfigMap({ name: "replay-a", namespace: "watching" });
    const watch = await openWatch(
      api,
      `/api/v1/namespaces/watching/configmaps?watch=1&resourceVersion=${a.metadata?.resourceVersion}`,
    );
    const events = await watch.waitFor(2);
    watch.close();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      "ADDED replay-b",
      "DELETED replay-a",
    ]);
  });

  it("a resourceVersion older than the kept window gets a 410 Expired ERROR event and the stream ends", async () => {
    const old = await core.createNamespacedConfigMap({ namespace: "watching", body: configMap("old") });
    for (let i = 0; i < 25; i++)
      await core.patchNamespacedConfigMap(
        { name: "old", namespace: "watching", body: { data: { n: String(i) } } },
        mergePatch(),
      );
    const watch = await openWatch(
      api,
      `/api/v1/namespaces/watching/configmaps?watch=true&resourceVersion=${old.metadata?.resourceVersion}`,
    );
    await watch.ended;
    expect(watch.events).toHaveLength(1);
    expect(watch.events[0]).toMatchObject({
      type: "ERROR",
      object: { kind: "Status", code: 410, reason: "Expired" },
    });
    expect(watch.events[0]?.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it("allowWatchBookmarks sends BOOKMARK events carrying the current resourceVersion", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: "watching" });
    const watch = await openWatch(
      api,
      `/api/v1/namespaces/watching/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${list.metadata?.resourceVersion}`,
    );
    const events = await watch.waitFor(1, 3000);
    watch.close();
    expect(events[0]).toMatchObject({ type: "BOOKMARK", object: { kind: "ConfigMap", apiVersion: "v1" } });
    expect(Number(events[0]?.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(list.metadata?.resourceVersion),
    );
  });

  it("sendInitialEvents streams the state then a bookmark annotated k8s.io/initial-events-end", async () => {
    const watch = await openWatch(
      api,
      "/api/v1/namespaces/watching/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
    );
    const names = (await core.listNamespacedConfigMap({ namespace: "watching" })).items.length;
    const events = await watch.waitFor(names + 1);
    watch.close();
    expect(events.slice(0, names).every((e) => e.type === "ADDED")).toBe(true);
    expect(events[names]).toMatchObject({
      type: "BOOKMARK",
      object: { metadata: { annotations: { "k8s.io/initial-events-end": "true" } } },
    });
  });

  it("a label-selected watch sees an object that stops matching as DELETED and one that starts matching as ADDED", async () => {
    await core.createNamespacedConfigMap({ namespace: "watching", body: configMap("moving", { team: "a" }) });
    const watch = await openWatch(
      api,
      "/api/v1/namespaces/watching/configmaps?watch=true&labelSelector=team%3Da",
    );
    await watch.waitFor(1);
    await core.patchNamespacedConfigMap(
      { name: "moving", namespace: "watching", body: { metadata: { labels: { team: "b" } } } },
      mergePatch(),
    );
    await core.patchNamespacedConfigMap(
      { name: "moving", namespace: "watching", body: { metadata: { labels: { team: "a" } } } },
      mergePatch(),
    );
    const events = await watch.waitFor(3);
    watch.close();
    expect(events.map((e) => e.type)).toEqual(["ADDED", "DELETED", "ADDED"]);
  });

  it("timeoutSeconds ends the watch cleanly", async () => {
    const watch = await openWatch(
      api,
      "/api/v1/namespaces/watching/configmaps?watch=true&timeoutSeconds=1&resourceVersion=" +
        (await core.listNamespacedConfigMap({ namespace: "watching" })).metadata?.resourceVersion,
    );
    const started = Date.now();
    await watch.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("client-node's Watch receives typed events", async () => {
    const seen: string[] = [];
    const controller = await new Watch(api.kubeConfig).watch(
      "/api/v1/namespaces/watching/configmaps",
      {
        resourceVersion: (await core.listNamespacedConfigMap({ namespace: "watching" })).metadata
          ?.resourceVersion,
      },
      (phase, object: V1ConfigMap) => seen.push(`${phase} ${object.metadata?.name}`),
      () => {},
    );
    await core.createNamespacedConfigMap({ namespace: "watching", body: configMap("typed") });
    await eventually(() => expect(seen).toContain("ADDED typed"));
    controller.abort();
  });

  it("client-node's informer lists, watches, and after all watches are dropped resumes without missing a change", async () => {
    const informer = makeInformer(api.kubeConfig, "/api/v1/namespaces/watching/configmaps", () =>
      core.listNamespacedConfigMap({ namespace: "watching" }),
    );
    const added: string[] = [];
    informer.on("add", (o: V1ConfigMap) => added.push(o.metadata?.name ?? ""));
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: "watching", body: configMap("before-drop") });
    await eventually(() => expect(added).toContain("before-drop"));
    expect(api.server.faults.dropWatches()).toBeGreaterThan(0);
    await core.createNamespacedConfigMap({ namespace: "watching", body: configMap("after-drop") });
    await eventually(() => expect(added).toContain("after-drop"), 10_000);
    expect(informer.list().map((o) => o.metadata?.name)).toContain("after-drop");
    await informer.stop();
  });

  it("kubernetes-fluent-client's Watch sees adds and updates", async () => {
    process.env.KUBECONFIG = api.kubeconfigPath;
    const seen: string[] = [];
    const watcher = K8s(kind.ConfigMap, { namespace: "watching" }).Watch((object, phase) => {
      seen.push(`${phase} ${object.metadata?.name}`);
    });
    await watcher.start();
    await core.createNamespacedConfigMap({ namespace: "watching", body: configMap("fluent") });
    await core.patchNamespacedConfigMap(
      { name: "fluent", namespace: "watching", body: { data: { n: "2" } } },
      mergePatch(),
    );
    await eventually(() => expect(seen).toEqual(expect.arrayContaining(["ADDED fluent", "MODIFIED fluent"])));
    watcher.close();
  });
});

function mergePatch() {
  return setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
}
